#include "sections/benchmark_results.hpp"

#include "markdown_table.hpp"

namespace lossbench::report {
namespace {

double to_microseconds(double value, const std::string& unit) {
  if (unit == "ns") return value / 1e3;
  if (unit == "ms") return value * 1e3;
  if (unit == "s") return value * 1e6;
  return value;  // "us"
}

std::string strip_suffix(std::string name, const std::string& suffix) {
  if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
    name.erase(name.size() - suffix.size());
  }
  return name;
}

const BenchmarkRow* find_row(const BenchmarkResults& results, const std::string& name) {
  for (const BenchmarkRow& r : results.rows) {
    if (r.name == name && r.error.empty()) return &r;
  }
  return nullptr;
}

}  // namespace

BenchmarkResults parse_benchmark_json(const nlohmann::json& results) {
  BenchmarkResults parsed;
  const nlohmann::json context = results.value("context", nlohmann::json::object());  // items() must not outlive it
  for (const auto& [key, value] : context.items()) {
    parsed.context[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  for (const nlohmann::json& b : results.value("benchmarks", nlohmann::json::array())) {
    // Of repeated cases, the median; single runs as they are.
    if (b.value("run_type", "iteration") == "aggregate" && b.value("aggregate_name", "") != "median") continue;
    if (b.value("run_type", "iteration") == "iteration" && b.value("repetitions", 1) > 1) continue;
    BenchmarkRow row;
    row.name = strip_suffix(b.value("run_name", b.value("name", "")), "/manual_time");
    row.time_us = to_microseconds(b.value("real_time", 0.0), b.value("time_unit", "ns"));
    row.bytes_per_second = b.value("bytes_per_second", 0.0);
    row.pct_of_peak = b.value("pct_of_peak", 0.0);
    row.elements_per_second = b.value("elements_per_second", 0.0);
    if (b.value("error_occurred", false)) row.error = b.value("error_message", "error");
    parsed.rows.push_back(row);
  }
  return parsed;
}

std::map<std::string, double> benchmark_measurements(const BenchmarkResults& results,
                                                     const std::vector<SpeedupPair>& speedups) {
  std::map<std::string, double> m;
  for (const BenchmarkRow& r : results.rows) {
    if (!r.error.empty()) continue;
    m[r.name + "/time_us"] = r.time_us;
    m[r.name + "/pct_of_peak"] = r.pct_of_peak;
    m[r.name + "/GB_per_s"] = r.bytes_per_second / 1e9;
    for (const SpeedupPair& p : speedups) {
      if (r.name.rfind(p.fast_prefix, 0) != 0) continue;
      const std::string rest = r.name.substr(p.fast_prefix.size());
      const BenchmarkRow* slow = find_row(results, p.slow_prefix + rest);
      if (slow != nullptr && r.time_us > 0) m[p.result_prefix + rest] = slow->time_us / r.time_us;
    }
  }
  return m;
}

std::string benchmark_table(const BenchmarkResults& results, const std::vector<SpeedupPair>& speedups) {
  std::vector<std::vector<std::string>> rows;
  for (const BenchmarkRow& r : results.rows) {
    if (!r.error.empty()) {
      rows.push_back({r.name, "error: " + r.error, "", "", ""});
      continue;
    }
    std::string speedup;
    for (const SpeedupPair& p : speedups) {
      if (r.name.rfind(p.fast_prefix, 0) != 0) continue;
      const BenchmarkRow* slow = find_row(results, p.slow_prefix + r.name.substr(p.fast_prefix.size()));
      if (slow != nullptr && r.time_us > 0) speedup = format_number(slow->time_us / r.time_us, 3) + "×";
    }
    rows.push_back({r.name, format_seconds(r.time_us * 1e-6), format_number(r.bytes_per_second / 1e9, 4),
                    format_number(r.pct_of_peak, 3), speedup});
  }
  return markdown_table({"case", "time (median)", "GB/s", "% of copy bandwidth", "speed-up"}, rows);
}

}  // namespace lossbench::report
