#pragma once
// A host benchmark's loop (ref, cpu and emu run synchronously on the host):
// each iteration's call timed by the steady clock and reported to Google
// Benchmark as manual time, the counterpart of gpu_samples.cuh.
#include <benchmark/benchmark.h>

#include <chrono>

namespace lossbench::bench {

/// Runs `call` once per iteration of `state`; returns the seconds they took
/// in all, for set_throughput_counters.
template <class Call>
double run_host_samples(benchmark::State& state, const Call& call) {
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    call();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    state.SetIterationTime(elapsed.count());
    seconds += elapsed.count();
  }
  return seconds;
}

}  // namespace lossbench::bench
