// The GPU benchmarks: the fused kernel for each loss × dtype × pass over
// n = 2^10..2^28, cold (L2 flushed before each sample) and batched (20
// back-to-back launches per sample), timed with CUDA events; and the unfused
// baseline the way an eager framework runs it. Each reports bytes/s,
// elements/s and % of the device-to-device copy bandwidth measured at start,
// as the median of 5 repetitions. Then the training step, fused against the
// cuBLAS baseline (gpu_train_step_benchmarks.cu), and softmax cross-entropy,
// fused against its unfused baseline (gpu_softmax_benchmarks.cu).
#include <benchmark/benchmark.h>
#include <cuda_profiler_api.h>
#include <nvtx3/nvtx3.hpp>

#include <string>

#include "benchmark_registry.hpp"
#include "measure/bench_case.hpp"
#include "gpu_samples.cuh"
#include "gpu_softmax_benchmarks.cuh"
#include "measure/gpu_timing.cuh"
#include "gpu_train_step_benchmarks.cuh"
#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/loss/fused_loss.hpp"
#include "measure/traffic.hpp"
#include "lossbench/loss/unfused_baseline.hpp"

namespace lossbench::bench {
namespace {

std::string pass_name(Pass pass) {
  switch (pass) {
    case Pass::forward: return "forward";
    case Pass::forward_grad: return "forward_grad";
    case Pass::in_place: return "in_place";
  }
  return "?";
}

void bench_fused(benchmark::State& state, ElementwiseLoss loss, DType dtype, Pass pass, bool cold, L2Flush* flusher,
                 double peak, bool weighted) {
  const nvtx3::scoped_range range{"fused " + name_of(loss) + " " + std::string(to_string(dtype))};
  BenchCase s(Backend::cuda, loss, dtype, pass, state.range(0), weighted);
  run_gpu_samples(
      state, cold, *flusher,
      [&] { fused_loss(s.call, Backend::cuda, s.workspace.data(), s.workspace.size()); },
      fused_bytes({pass, Reduction::mean, dtype, s.n, loss.activation, weighted}), s.n, peak);
}

void bench_unfused(benchmark::State& state, ElementwiseLoss loss, DType dtype, Pass pass, bool cold, L2Flush* flusher,
                   double peak) {
  const nvtx3::scoped_range range{"unfused " + name_of(loss) + " " + std::string(to_string(dtype))};
  BenchCase s(Backend::cuda, loss, dtype, pass == Pass::in_place ? Pass::forward_grad : pass, state.range(0));
  UnfusedBaseline baseline(Backend::cuda, s.call);
  run_gpu_samples(
      state, cold, *flusher, [&] { baseline.run(s.call, nullptr); },
      unfused_bytes({pass, Reduction::mean, dtype, s.n, loss.activation}), s.n, peak);
}

// n = 2^10..2^28 by 4, the median of 5 repetitions (comparable run to run
// with compare.py), in microseconds of GPU time.
void over_sizes(benchmark::internal::Benchmark* b) {
  b->RangeMultiplier(4)
      ->Range(1 << 10, 1 << 28)
      ->UseManualTime()
      ->Repetitions(5)
      ->ReportAggregatesOnly(true)
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace

bool register_gpu_benchmarks(std::string& why_not) {
  const BackendAvailability cuda = backend_availability(Backend::cuda);
  if (!cuda.available) {
    why_not = cuda.reason;
    return false;
  }
  const double peak = measure_device_copy_bandwidth();
  benchmark::AddCustomContext("device_copy_bandwidth_GB_per_s", std::to_string(peak / 1e9));
  static L2Flush flusher;  // one L2-sized buffer for the whole run
  benchmark::AddCustomContext("l2_flush_bytes", std::to_string(flusher.bytes()));
  for (const ElementwiseLoss& loss : elementwise_losses()) {
    for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
      for (const Pass pass : {Pass::forward, Pass::forward_grad, Pass::in_place}) {
        for (const bool cold : {true, false}) {
          const std::string suffix = name_of(loss) + "/" + std::string(to_string(dtype)) + "/" +
                                     pass_name(pass) + "/mean/" + (cold ? "cold" : "batched");
          over_sizes(benchmark::RegisterBenchmark(("fused/" + suffix).c_str(), bench_fused, loss, dtype, pass, cold,
                                                  &flusher, peak, false));
          if (pass == Pass::in_place) continue;  // the baseline has no in-place variant
          over_sizes(benchmark::RegisterBenchmark(("unfused/" + suffix).c_str(), bench_unfused, loss, dtype, pass,
                                                  cold, &flusher, peak));
        }
      }
    }
  }
  // bce with a weight of the input's shape: one more read per element, on
  // the per-element path (kernels/loss/fused_loss.cuh).
  for (const DType dtype : {DType::f32, DType::bf16}) {
    for (const bool cold : {true, false}) {
      const std::string name = "fused/bce+weight/" + std::string(to_string(dtype)) + "/forward_grad/mean/" +
                               (cold ? "cold" : "batched");
      over_sizes(benchmark::RegisterBenchmark(name.c_str(), bench_fused, ElementwiseLoss(Loss::bce), dtype,
                                              Pass::forward_grad, cold, &flusher, peak, true));
    }
  }
  register_gpu_train_step_benchmarks(flusher, peak);
  register_gpu_softmax_benchmarks(flusher, peak);
  return true;
}

}  // namespace lossbench::bench
