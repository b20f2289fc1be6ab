// The training step on the CPU: the ref backend (double precision, the
// reference) and the cpu backend (float32 on SIMD vectors, threads over
// tiles) at batch sizes a CPU handles, and the fused kernel under the SIMT
// emulator at one small batch (the emulator checks correctness; its time
// says nothing about a GPU). Bytes are the fused step's
// (fused_train_step_bytes), so that the rates compare with the GPU's.
#include <benchmark/benchmark.h>

#include <string>

#include "benchmark_registry.hpp"
#include "counters.hpp"
#include "host_samples.hpp"
#include "lossbench/core/cpu_threads.hpp"
#include "lossbench/train/train_step.hpp"
#include "measure/train_step_case.hpp"
#include "measure/traffic.hpp"

namespace lossbench::bench {
namespace {

constexpr int kInputs = 784;
constexpr int kOutputs = 10;

void run_train_step(benchmark::State& state, Backend backend, double peak) {
  const TrainStepShape shape{state.range(0), kInputs, kOutputs};
  TrainStepCase c(backend, Loss::bce, shape);
  const double seconds =
      run_host_samples(state, [&] { train_step(c.call, backend, c.workspace.data(), c.workspace.size()); });
  set_throughput_counters(state, fused_train_step_bytes(shape), shape.n, seconds, peak);
}

// The cpu backend at state.range(1) threads, then back to the default.
void run_cpu_train_step(benchmark::State& state, double peak) {
  set_cpu_threads(static_cast<int>(state.range(1)));
  run_train_step(state, Backend::cpu, peak);
  set_cpu_threads(0);
}

}  // namespace

void register_cpu_train_step_benchmarks(double cpu_copy_bytes_per_second) {
  const std::string shape = "bce/d:" + std::to_string(kInputs) + "/k:" + std::to_string(kOutputs);
  benchmark::RegisterBenchmark(("train_step/ref/" + shape).c_str(), run_train_step, Backend::ref,
                               cpu_copy_bytes_per_second)
      ->RangeMultiplier(4)
      ->Range(1 << 8, 1 << 12)
      ->Unit(benchmark::kMicrosecond)
      ->UseManualTime();
  // 64: the trainer's batch; 1 and 2 threads: the scaling from one core.
  benchmark::RegisterBenchmark(("train_step/cpu/" + shape).c_str(), run_cpu_train_step, cpu_copy_bytes_per_second)
      ->ArgsProduct({{64, 1 << 8, 1 << 10, 1 << 12, 1 << 14}, {1, 2}})
      ->ArgNames({"", "threads"})
      ->Unit(benchmark::kMicrosecond)
      ->UseManualTime();
  // 64 rows: one block of 256 emulated threads, about a tenth of a second per call.
  benchmark::RegisterBenchmark(("train_step/emu/" + shape).c_str(), run_train_step, Backend::emu,
                               cpu_copy_bytes_per_second)
      ->Arg(64)
      ->Unit(benchmark::kMillisecond)
      ->UseManualTime();
}

}  // namespace lossbench::bench
