// Softmax cross-entropy on the GPU, fused against the unfused baseline an
// eager framework runs (log-softmax written, NLL gather, reduce, backward),
// with the bytes each must move (measure/traffic.hpp) as bytes/s and % of the
// copy bandwidth measured at start: docs/PERF.md predicts these.
#include <benchmark/benchmark.h>
#include <nvtx3/nvtx3.hpp>

#include <exception>
#include <memory>
#include <string>

#include "gpu_samples.cuh"
#include "gpu_softmax_benchmarks.cuh"
#include "lossbench/loss/softmax_loss.hpp"
#include "lossbench/loss/softmax_unfused_baseline.hpp"
#include "measure/softmax_bench_case.hpp"
#include "measure/traffic.hpp"

namespace lossbench::bench {
namespace {

/// fused_class_weight: PyTorch's weight with label smoothing 0.1 (softmax_bench_case.hpp).
enum class SoftmaxVariant { fused, unfused, fused_class_weight };

/// The variant's part of the benchmark's name and of its NVTX range.
const char* variant_name(SoftmaxVariant variant) {
  switch (variant) {
    case SoftmaxVariant::fused: return "fused";
    case SoftmaxVariant::unfused: return "unfused";
    case SoftmaxVariant::fused_class_weight: return "fused+class_weight";
  }
  return "";
}

void bench_softmax(benchmark::State& state, SoftmaxVariant variant, DType dtype, SoftmaxShape shape,
                   L2Flush* flusher, double peak) {
  const bool fused = variant != SoftmaxVariant::unfused;
  const bool weighted = variant == SoftmaxVariant::fused_class_weight;
  const nvtx3::scoped_range range{std::string(variant_name(variant)) + " softmax_ce " +
                                  std::string(to_string(dtype))};
  const SoftmaxTrafficCase traffic{shape.rows, shape.classes, dtype, 8, weighted};
  try {
    SoftmaxBenchCase c(Backend::cuda, dtype, shape.rows, shape.classes, weighted);
    std::unique_ptr<SoftmaxUnfusedBaseline> baseline;
    if (!fused) baseline = std::make_unique<SoftmaxUnfusedBaseline>(Backend::cuda, c.call);
    const auto launch_once = [&] {
      if (fused) return softmax_loss(c.call, Backend::cuda, c.workspace.data(), c.workspace.size());
      baseline->run(c.call, nullptr);
    };
    launch_once();  // untimed: a backend that cannot run the shape throws here, before any sample
    run_gpu_samples(state, /*cold=*/true, *flusher, launch_once,
                    fused ? softmax_fused_bytes(traffic) : softmax_unfused_bytes(traffic),
                    shape.rows * shape.classes, peak);
  } catch (const std::exception& e) {
    // A shape this device cannot hold (or a backend error): say so, do not abort the run.
    state.SkipWithError(e.what());
  }
}

}  // namespace

void register_gpu_softmax_benchmarks(L2Flush& flusher, double peak) {
  for (const SoftmaxVariant variant :
       {SoftmaxVariant::fused, SoftmaxVariant::unfused, SoftmaxVariant::fused_class_weight}) {
    for (const DType dtype : {DType::f32, DType::bf16}) {
      for (const SoftmaxShape shape : softmax_bench_shapes()) {
        const std::string name = std::string("softmax_ce/") + variant_name(variant) + "/" +
                                 std::string(to_string(dtype)) + "/N=" + std::to_string(shape.rows) +
                                 "/V=" + std::to_string(shape.classes);
        benchmark::RegisterBenchmark(name.c_str(), bench_softmax, variant, dtype, shape, &flusher, peak)
            ->UseManualTime()
            ->Repetitions(5)  // medians, comparable run to run with compare.py
            ->ReportAggregatesOnly(true)
            ->Unit(benchmark::kMicrosecond);
      }
    }
  }
}

}  // namespace lossbench::bench
