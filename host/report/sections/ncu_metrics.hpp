#pragma once
// Nsight Compute's `--csv --page details` output, read back: the metrics of
// the first profiled kernel, by metric name ("DRAM Throughput", "Registers
// Per Thread", ...). Fields are quoted (kernel names and grid sizes contain
// commas); numbers may carry thousands separators.
#include <map>
#include <string>
#include <vector>

namespace lossbench::report {

struct NcuMetric {
  std::string unit;
  double value = 0;
};

struct NcuKernelMetrics {
  std::string kernel;  // "" when the output has no profiled kernel
  std::map<std::string, NcuMetric> metrics;
};

NcuKernelMetrics parse_ncu_details_csv(const std::string& text);

/// A quoted CSV line's fields ("a","b,c" → a, b,c).
std::vector<std::string> split_quoted_csv_line(const std::string& line);

}  // namespace lossbench::report
