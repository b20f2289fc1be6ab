// The CPU's fused loss as benchmarks, with the same counters as the GPU
// kernels: the cpu backend (SIMD + threads; LOSSBENCH_CPU_THREADS sets its
// threads) and the double-precision reference, what a user without the
// kernels would otherwise run.
#include <benchmark/benchmark.h>

#include <string>

#include "measure/bench_case.hpp"
#include "benchmark_registry.hpp"
#include "counters.hpp"
#include "host_samples.hpp"
#include "lossbench/loss/fused_loss.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"
#include "measure/traffic.hpp"

namespace lossbench::bench {
namespace {

void run_reference(benchmark::State& state, ElementwiseLoss loss, DType dtype, double peak) {
  const std::int64_t n = state.range(0);
  // The same inputs the GPU cases use, in host memory.
  const BenchCase c(Backend::ref, loss, dtype, Pass::forward_grad, n);
  const ConstArrayView logits{c.z.data(), dtype, n};
  const ConstArrayView targets{c.y.data(), dtype, n};
  const double seconds = run_host_samples(state, [&] {
    reference::Result result =
        reference::compute(loss.loss, Reduction::mean, logits, targets, {.activation = loss.activation});
    benchmark::DoNotOptimize(result);
  });
  // The bytes the fused kernel must move for the same work, so that the rates compare.
  set_throughput_counters(state, fused_bytes({Pass::forward_grad, Reduction::mean, dtype, n}), n, seconds, peak);
}

void run_cpu_backend(benchmark::State& state, ElementwiseLoss loss, DType dtype, double peak, bool weighted) {
  const std::int64_t n = state.range(0);
  BenchCase c(Backend::cpu, loss, dtype, Pass::forward_grad, n, weighted);
  const auto call = [&] { fused_loss(c.call, Backend::cpu, c.workspace.data(), c.workspace.size()); };
  call();  // untimed: starts the threads and touches the gradient's pages
  const double seconds = run_host_samples(state, call);
  set_throughput_counters(state, fused_bytes({Pass::forward_grad, Reduction::mean, dtype, n, loss.activation, weighted}),
                          n, seconds, peak);
}

}  // namespace

void register_cpu_benchmarks(double cpu_copy_bytes_per_second) {
  for (const ElementwiseLoss& loss : elementwise_losses()) {
    for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
      const std::string what =
          "/" + name_of(loss) + "/" + std::string(to_string(dtype)) + "/forward_grad/mean";
      if (dtype != DType::bf16) {  // the reference converts every dtype to double alike
        benchmark::RegisterBenchmark(("cpu_reference" + what).c_str(), run_reference, loss, dtype,
                                     cpu_copy_bytes_per_second)
            ->RangeMultiplier(4)
            ->Range(1 << 10, 1 << 22)
            ->Unit(benchmark::kMicrosecond)
            ->UseManualTime();
      }
      benchmark::RegisterBenchmark(("cpu_fused" + what).c_str(), run_cpu_backend, loss, dtype,
                                   cpu_copy_bytes_per_second, false)
          ->RangeMultiplier(4)
          ->Range(1 << 10, 1 << 24)
          ->Unit(benchmark::kMicrosecond)
          ->UseManualTime();
    }
  }
  for (const DType dtype : {DType::f32, DType::bf16}) {  // a weight of the input's shape
    benchmark::RegisterBenchmark(("cpu_fused/bce+weight/" + std::string(to_string(dtype)) + "/forward_grad/mean").c_str(),
                                 run_cpu_backend, ElementwiseLoss(Loss::bce), dtype, cpu_copy_bytes_per_second, true)
        ->RangeMultiplier(4)
        ->Range(1 << 10, 1 << 24)
        ->Unit(benchmark::kMicrosecond)
        ->UseManualTime();
  }
}

}  // namespace lossbench::bench
