#pragma once
// The counters every benchmark reports, computed one way for all of them.
#include <benchmark/benchmark.h>

#include <cstdint>

namespace lossbench::bench {

/// bytes_per_second and elements_per_second (rates over the measured time),
/// and pct_of_peak: the achieved bandwidth as a percentage of `peak_bytes_per_second`.
inline void set_throughput_counters(benchmark::State& state, std::int64_t bytes_per_iteration,
                                    std::int64_t elements_per_iteration, double measured_seconds,
                                    double peak_bytes_per_second) {
  const auto iterations = static_cast<double>(state.iterations());
  const double bytes = static_cast<double>(bytes_per_iteration) * iterations;
  state.counters["bytes_per_second"] = benchmark::Counter(bytes, benchmark::Counter::kIsRate);
  state.counters["elements_per_second"] =
      benchmark::Counter(static_cast<double>(elements_per_iteration) * iterations, benchmark::Counter::kIsRate);
  state.counters["pct_of_peak"] =
      measured_seconds > 0 ? 100.0 * bytes / measured_seconds / peak_bytes_per_second : 0.0;
}

}  // namespace lossbench::bench
