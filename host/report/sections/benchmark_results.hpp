#pragma once
// lossbench_bench's results, from its --benchmark_out JSON: one row per
// case (the median of the repetitions, or the single run), named as the
// suite names it without Google Benchmark's "/manual_time" suffix, e.g.
// fused/bce/f32/forward_grad/mean/cold/1048576.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lossbench::report {

struct BenchmarkRow {
  std::string name;
  double time_us = 0;
  double bytes_per_second = 0;
  double pct_of_peak = 0;
  double elements_per_second = 0;
  std::string error;  // the case's error message, when it reported one
};

struct BenchmarkResults {
  std::vector<BenchmarkRow> rows;
  std::map<std::string, std::string> context;  // e.g. device_copy_bandwidth_GB_per_s
};

BenchmarkResults parse_benchmark_json(const nlohmann::json& results);

/// Measurements by key: "<row>/time_us", "<row>/pct_of_peak",
/// "<row>/GB_per_s"; and for each row "<family>/<a>/<rest>" that has a twin
/// "<family>/<b>/<rest>", "<speedup_key>/<rest>" = time of b / time of a
/// (e.g. a = fused, b = unfused: speedup_vs_unfused/bce/f32/...).
struct SpeedupPair {
  std::string fast_prefix;    // "fused/" or "train_step/fused/"
  std::string slow_prefix;    // "unfused/" or "train_step/baseline/"
  std::string result_prefix;  // "speedup_vs_unfused/" or "train_step/speedup_vs_baseline/"
};
std::map<std::string, double> benchmark_measurements(const BenchmarkResults& results,
                                                     const std::vector<SpeedupPair>& speedups);

/// A table of the rows: case, time, GB/s, % of the copy bandwidth, and the
/// speed-up of each fast row over its slow twin.
std::string benchmark_table(const BenchmarkResults& results, const std::vector<SpeedupPair>& speedups);

}  // namespace lossbench::report
