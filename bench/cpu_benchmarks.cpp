// The CPU reference as a benchmark: what a user without the kernels would
// run, measured with the same counters as the GPU kernels.
#include <benchmark/benchmark.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "benchmark_registry.hpp"
#include "counters.hpp"
#include "lossbench/reference.hpp"
#include "traffic.hpp"

namespace lossbench::bench {
namespace {

void run_reference(benchmark::State& state, Loss loss, DType dtype, double peak) {
  const std::int64_t n = state.range(0);
  std::vector<unsigned char> z(static_cast<std::size_t>(n) * dtype_size(dtype));
  std::vector<unsigned char> y(z.size());
  std::mt19937_64 rng(static_cast<std::uint64_t>(n));
  std::normal_distribution<double> logit(0.0, 4.0);
  for (std::int64_t i = 0; i < n; ++i) {
    store_from_double(z.data(), dtype, static_cast<std::size_t>(i), logit(rng));
    store_from_double(y.data(), dtype, static_cast<std::size_t>(i), static_cast<double>(rng() & 1));
  }
  const ConstArrayView logits{z.data(), dtype, n};
  const ConstArrayView targets{y.data(), dtype, n};
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    reference::Result result = reference::compute(loss, Reduction::mean, logits, targets);
    benchmark::DoNotOptimize(result);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    state.SetIterationTime(elapsed.count());
    seconds += elapsed.count();
  }
  // The bytes the fused kernel must move for the same work, so that the rates compare.
  set_throughput_counters(state, fused_bytes({Pass::forward_grad, Reduction::mean, dtype, n}), n, seconds, peak);
}

}  // namespace

void register_cpu_benchmarks(double cpu_copy_bytes_per_second) {
  for (const Loss loss : {Loss::mse, Loss::bce}) {
    for (const DType dtype : {DType::f32, DType::f16}) {
      const std::string name = "cpu_reference/" + std::string(to_string(loss)) + "/" +
                               std::string(to_string(dtype)) + "/forward_grad/mean";
      benchmark::RegisterBenchmark(name.c_str(), run_reference, loss, dtype, cpu_copy_bytes_per_second)
          ->RangeMultiplier(4)
          ->Range(1 << 10, 1 << 22)
          ->Unit(benchmark::kMicrosecond)
          ->UseManualTime();
    }
  }
}

}  // namespace lossbench::bench
