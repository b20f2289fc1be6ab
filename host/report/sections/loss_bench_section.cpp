// The fused-loss benchmark: lossbench_bench's fused and unfused kernels,
// cold (L2 flushed) and batched, softmax cross-entropy fused and unfused,
// with the cpu backend and the CPU reference;
// without a GPU, the cpu backend and the reference alone.
#include "sections/benchmark_filters.hpp"
#include "sections/benchmark_run.hpp"
#include "sections/sections.hpp"

namespace lossbench::report {
namespace {

void run(SectionContext& ctx) {
  run_benchmarks(ctx, {"loss_bench", loss_bench_filter(ctx.gpu(), ctx.quick()), ctx.quick() ? 0.01 : 0.02,
                       {{"fused/", "unfused/", "speedup_vs_unfused/"},
                        {"softmax_ce/fused/", "softmax_ce/unfused/", "softmax_ce/speedup_vs_unfused/"},
                        {"cpu_fused/", "cpu_reference/", "cpu_fused/speedup_vs_reference/"}}});
}

}  // namespace

SectionDefinition loss_bench_section() {
  return {"loss_bench", "Fused loss benchmark", 150, 60, 10, false, lossbench_bench_missing, run};
}

}  // namespace lossbench::report
