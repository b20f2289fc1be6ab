#include "sections/benchmark_run.hpp"

#include <cstdio>

#include "json_file.hpp"

namespace lossbench::report {

void run_benchmarks(SectionContext& ctx, const BenchmarkRunSpec& spec) {
  const auto file = ctx.data_file(spec.name + ".json");
  char min_time[32];
  std::snprintf(min_time, sizeof min_time, "%g", spec.min_time);
  const ProcessOutcome outcome =
      ctx.run(spec.name, {ctx.layout.lossbench_bench.string(), "--benchmark_filter=" + spec.filter,
                          std::string("--benchmark_min_time=") + min_time, "--benchmark_out=" + file.string(),
                          "--benchmark_out_format=json"});
  if (!outcome.succeeded()) ctx.record_failure("lossbench_bench", outcome);
  std::string error;
  const std::optional<nlohmann::json> json = read_json_file(file, error);
  if (!json) {
    if (ctx.record.status == SectionStatus::pending) {
      ctx.record.status = SectionStatus::failed;
      ctx.record.reason = error;
    }
    return;
  }
  const BenchmarkResults results = parse_benchmark_json(*json);
  ctx.record.measurements = benchmark_measurements(results, spec.speedups);
  std::string md = "`lossbench_bench --benchmark_filter='" + spec.filter + "' --benchmark_min_time=" + min_time +
                   "`; results in data/" + spec.name + ".json. Times are medians (of 5 repetitions on the GPU); " +
                   "% of the copy bandwidth this run measured";
  const auto device = results.context.find("device_copy_bandwidth_GB_per_s");
  const auto cpu = results.context.find("cpu_copy_bandwidth_GB_per_s");
  if (device != results.context.end()) md += " (device to device: " + device->second + " GB/s)";
  else if (cpu != results.context.end()) md += " (CPU memcpy: " + cpu->second + " GB/s)";
  md += ".\n\n" + benchmark_table(results, spec.speedups);
  ctx.record.markdown = md;
  ctx.record.data = {{"filter", spec.filter}, {"results_file", "data/" + spec.name + ".json"},
                     {"cases", results.rows.size()}};
  if (results.rows.empty() && ctx.record.status == SectionStatus::pending) {
    ctx.record.status = SectionStatus::failed;
    ctx.record.reason = "no benchmark matched the filter";
  }
  for (const BenchmarkRow& r : results.rows) {
    if (!r.error.empty() && ctx.record.status == SectionStatus::pending) {
      ctx.record.status = SectionStatus::failed;
      ctx.record.reason = r.name + ": " + r.error;
    }
  }
}

std::string lossbench_bench_missing(const SectionContext& ctx) {
  if (!ctx.layout.lossbench_bench.empty()) return "";
  return "lossbench_bench not found beside lossbench (" + ctx.layout.kind + ")";
}

}  // namespace lossbench::report
