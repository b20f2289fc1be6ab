// The training step on the GPU: the fused kernel (one pass over X) against
// the framework-style baseline (two cuBLAS GEMMs over X, the fused loss
// kernel between them), for a Fashion-MNIST-sized layer (d = 784) with k = 1
// (one logistic unit), 10 (ten classes) and 16 (the kernel's largest
// capacity). Bytes per call from fused_train_step_bytes and
// baseline_train_step_bytes; elements_per_second counts rows.
#include <benchmark/benchmark.h>
#include <nvtx3/nvtx3.hpp>

#include <string>

#include "gpu_samples.cuh"
#include "gpu_train_step_benchmarks.cuh"
#include "lossbench/train/train_step.hpp"
#include "lossbench/train/train_step_baseline.hpp"
#include "measure/train_step_case.hpp"
#include "measure/traffic.hpp"

namespace lossbench::bench {
namespace {

constexpr int kInputs = 784;

void bench_fused_step(benchmark::State& state, int k, bool cold, L2Flush* flusher, double peak) {
  const TrainStepShape shape{state.range(0), kInputs, k};
  const nvtx3::scoped_range range{"train_step fused k=" + std::to_string(k)};
  TrainStepCase c(Backend::cuda, Loss::bce, shape);
  run_gpu_samples(
      state, cold, *flusher,
      [&] { train_step(c.call, Backend::cuda, c.workspace.data(), c.workspace.size()); },
      fused_train_step_bytes(shape), shape.n, peak);
}

void bench_baseline_step(benchmark::State& state, int k, bool cold, L2Flush* flusher, double peak) {
  const TrainStepShape shape{state.range(0), kInputs, k};
  const nvtx3::scoped_range range{"train_step baseline k=" + std::to_string(k)};
  TrainStepCase c(Backend::cuda, Loss::bce, shape);
  TrainStepBaseline baseline(c.call);
  run_gpu_samples(
      state, cold, *flusher, [&] { baseline.run(c.call, nullptr); }, baseline_train_step_bytes(shape), shape.n,
      peak);
}

}  // namespace

void register_gpu_train_step_benchmarks(L2Flush& flusher, double peak) {
  // The same sizes, repetitions and units for the fused and the baseline step.
  const auto configure = [](benchmark::internal::Benchmark* b) {
    b->RangeMultiplier(4)
        ->Range(1 << 14, 1 << 18)
        ->UseManualTime()
        ->Repetitions(5)
        ->ReportAggregatesOnly(true)
        ->Unit(benchmark::kMicrosecond);
  };
  for (const int k : {1, 10, 16}) {
    for (const bool cold : {true, false}) {
      const std::string suffix =
          "bce/d:" + std::to_string(kInputs) + "/k:" + std::to_string(k) + "/" + (cold ? "cold" : "batched");
      configure(benchmark::RegisterBenchmark(("train_step/fused/" + suffix).c_str(), bench_fused_step, k, cold,
                                             &flusher, peak));
      configure(benchmark::RegisterBenchmark(("train_step/baseline/" + suffix).c_str(), bench_baseline_step, k, cold,
                                             &flusher, peak));
    }
  }
}

}  // namespace lossbench::bench
