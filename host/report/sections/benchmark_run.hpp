#pragma once
// Running lossbench_bench for a section: one filter, results to
// data/<name>.json, read back into the section's table and measurements.
#include <string>
#include <vector>

#include "section.hpp"
#include "sections/benchmark_results.hpp"

namespace lossbench::report {

struct BenchmarkRunSpec {
  std::string name;  // the log's and the data file's name
  std::string filter;   // --benchmark_filter
  double min_time = 0.05;  // --benchmark_min_time, seconds per repetition
  std::vector<SpeedupPair> speedups;
};

void run_benchmarks(SectionContext& ctx, const BenchmarkRunSpec& spec);

/// "lossbench_bench not found in ..." or "".
std::string lossbench_bench_missing(const SectionContext& ctx);

}  // namespace lossbench::report
