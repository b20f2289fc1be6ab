// lossbench_bench: the Google Benchmark suite. It measures the peaks first
// (the CPU's copy bandwidth; on a GPU, the device-to-device copy bandwidth)
// so that every case reports its share of this machine's roofline, then runs
// the CPU's cases (the cpu backend and the reference) and, when a GPU is usable, the
// fused and unfused kernels and the training step fused and with cuBLAS.
// Google Benchmark's own flags apply (--benchmark_filter, --benchmark_format=json,
// --benchmark_out=FILE, --benchmark_repetitions=N, ...).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "benchmark_registry.hpp"
#include "lossbench/core/cpu_threads.hpp"
#include "lossbench/core/error.hpp"
#include "measure/cpu_bandwidth.hpp"
#include "measure/gpu_measure.hpp"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;

  int cpu_threads = 0;
  try {
    cpu_threads = lossbench::cpu_threads();
  } catch (const lossbench::InputError& e) {  // a bad LOSSBENCH_CPU_THREADS
    std::fprintf(stderr, "lossbench_bench: %s\n", e.what());
    return 2;
  }
  const double cpu_peak = lossbench::bench::measure_cpu_copy_bandwidth();
  benchmark::AddCustomContext("cpu_copy_bandwidth_GB_per_s", std::to_string(cpu_peak / 1e9));
  benchmark::AddCustomContext("cpu_threads", std::to_string(cpu_threads));
  lossbench::bench::register_cpu_benchmarks(cpu_peak);
  lossbench::bench::register_cpu_train_step_benchmarks(cpu_peak);
  lossbench::bench::register_cpu_softmax_benchmarks(cpu_peak);

  std::string why_not;
  const bool gpu = lossbench::bench::register_gpu_benchmarks(why_not);
  if (!gpu) std::fprintf(stderr, "lossbench_bench: GPU benchmarks skipped: %s\n", why_not.c_str());
  // Only the measured region goes to `nsys profile --capture-range=cudaProfilerApi`.
  if (gpu) lossbench::bench::gpu_profiler_start();
  benchmark::RunSpecifiedBenchmarks();
  if (gpu) lossbench::bench::gpu_profiler_stop();
  benchmark::Shutdown();
  return 0;
}
