// The training-step benchmark: the fused step against the cuBLAS baseline
// on the GPU; without one, the CPU's ref backend (and the emulated kernel in
// a full run), whose rates say what a CPU does, not a GPU.
#include "sections/benchmark_filters.hpp"
#include "sections/benchmark_run.hpp"
#include "sections/sections.hpp"

namespace lossbench::report {
namespace {

void run(SectionContext& ctx) {
  run_benchmarks(ctx, {"train_step_bench", train_step_bench_filter(ctx.gpu(), ctx.quick()),
                       ctx.quick() ? 0.01 : 0.02,
                       {{"train_step/fused/", "train_step/baseline/", "train_step/speedup_vs_baseline/"}}});
}

}  // namespace

SectionDefinition train_step_bench_section() {
  return {"train_step_bench", "Training-step benchmark", 60, 30, 10, false, lossbench_bench_missing, run};
}

}  // namespace lossbench::report
