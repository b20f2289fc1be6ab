// Softmax cross-entropy on the cpu backend, with the same counters as the
// GPU cases: the shapes of softmax_bench_shapes() up to 2^26 logits (the
// larger ones take seconds a call on a CPU and say nothing new).
#include <benchmark/benchmark.h>

#include <exception>
#include <string>

#include "benchmark_registry.hpp"
#include "counters.hpp"
#include "host_samples.hpp"
#include "lossbench/loss/softmax_loss.hpp"
#include "measure/softmax_bench_case.hpp"
#include "measure/traffic.hpp"

namespace lossbench::bench {
namespace {

constexpr std::int64_t kMaxCpuLogits = std::int64_t{1} << 26;

void run_cpu_softmax(benchmark::State& state, DType dtype, SoftmaxShape shape, bool weighted, double peak) {
  try {
    SoftmaxBenchCase c(Backend::cpu, dtype, shape.rows, shape.classes, weighted);
    const auto call = [&] { softmax_loss(c.call, Backend::cpu, c.workspace.data(), c.workspace.size()); };
    call();  // untimed: starts the threads and touches the gradient's pages
    const double seconds = run_host_samples(state, call);
    set_throughput_counters(state, softmax_fused_bytes({shape.rows, shape.classes, dtype, 8, weighted}),
                            shape.rows * shape.classes, seconds, peak);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

}  // namespace

void register_cpu_softmax_benchmarks(double cpu_copy_bytes_per_second) {
  // fused+class_weight: PyTorch's weight with label smoothing 0.1 (softmax_bench_case.hpp).
  for (const bool weighted : {false, true}) {
    for (const DType dtype : {DType::f32, DType::bf16}) {
      for (const SoftmaxShape shape : softmax_bench_shapes()) {
        if (shape.rows * shape.classes > kMaxCpuLogits) continue;
        const std::string name = std::string("cpu_softmax_ce/") + (weighted ? "fused+class_weight/" : "fused/") +
                                 std::string(to_string(dtype)) + "/N=" + std::to_string(shape.rows) +
                                 "/V=" + std::to_string(shape.classes);
        benchmark::RegisterBenchmark(name.c_str(), run_cpu_softmax, dtype, shape, weighted,
                                     cpu_copy_bytes_per_second)
            ->Unit(benchmark::kMicrosecond)
            ->UseManualTime();
      }
    }
  }
}

}  // namespace lossbench::bench
