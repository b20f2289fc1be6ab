// `lossbench bench --json`: the CLI's own short table (fused and unfused on
// the GPU, the cpu backend and the CPU reference, with speed-ups; the cpu
// backend and the reference alone without a GPU).
// Its JSON is the last thing it prints, after any progress lines.
#include "json_file.hpp"
#include "markdown_table.hpp"
#include "sections/sections.hpp"

namespace lossbench::report {
namespace {

// The JSON array at the end of the log: from the last line that is "[" or "[]".
std::optional<nlohmann::json> trailing_json_array(const std::string& log) {
  std::size_t start = std::string::npos;
  for (std::size_t at = log.rfind('\n'); at != std::string::npos && at > 0; at = log.rfind('\n', at - 1)) {
    if (log.compare(at + 1, 2, "[\n") == 0 || log.compare(at + 1, 3, "[]\n") == 0) {
      start = at + 1;
      break;
    }
  }
  if (start == std::string::npos) return std::nullopt;
  try {
    return nlohmann::json::parse(log.substr(start));
  } catch (const nlohmann::json::parse_error&) {
    return std::nullopt;
  }
}

std::string optional_ratio(const nlohmann::json& v) { return v.is_number() ? format_number(v.get<double>(), 3) + "×" : ""; }

void run(SectionContext& ctx) {
  std::vector<std::string> argv{ctx.layout.lossbench.string(), "bench", "--json"};
  if (ctx.quick()) {
    for (const char* a : {"--repeats", "3", "--sizes"}) argv.emplace_back(a);
    if (ctx.gpu()) {
      argv.insert(argv.end(), {"1048576", "16777216"});
    } else {
      // 2^14 and 2^18: ~1.5 s here, ~8 s in the ASan build (2^16 and 2^20
      // took 24 s there, 30 s is the section's quick limit).
      argv.insert(argv.end(), {"16384", "262144"});
    }
  }
  const ProcessOutcome outcome = ctx.run("bench_table", argv);
  if (!outcome.succeeded()) ctx.record_failure("lossbench bench", outcome);
  const std::optional<nlohmann::json> rows = trailing_json_array(read_text_file(ctx.settings.out / ctx.record.logs.back()));
  if (!rows) {
    if (ctx.record.status == SectionStatus::pending) {
      ctx.record.status = SectionStatus::failed;
      ctx.record.reason = "lossbench bench printed no JSON";
    }
    return;
  }
  std::vector<std::vector<std::string>> table;
  for (const nlohmann::json& r : *rows) {
    const std::string key = r.value("kernel", "?") + "/" + r.value("loss", "?") + "/" + r.value("dtype", "?") + "/" +
                            std::to_string(r.value("n", 0LL));
    const double seconds = r.value("seconds", 0.0);
    ctx.record.measurements[key + "/time_us"] = seconds * 1e6;
    ctx.record.measurements[key + "/pct_of_peak"] = r.value("pct_of_peak", 0.0);
    table.push_back({r.value("kernel", "?"), r.value("loss", "?"), r.value("dtype", "?"),
                     std::to_string(r.value("n", 0LL)), format_seconds(seconds),
                     format_number(r.value("bytes_per_second", 0.0) / 1e9, 4),
                     format_number(r.value("pct_of_peak", 0.0), 3), optional_ratio(r["speedup_vs_unfused"]),
                     optional_ratio(r["speedup_vs_cpu"]), optional_ratio(r["speedup_vs_cpu_reference"])});
  }
  ctx.record.data = {{"rows", *rows}};
  ctx.record.markdown = "`lossbench bench --json" + std::string(ctx.quick() ? " --repeats 3 --sizes ..." : "") +
                        "`: loss + gradient, mean; median of repeats.\n\n" +
                        markdown_table({"kernel", "loss", "dtype", "n", "time", "GB/s", "% of copy bandwidth",
                                        "vs unfused", "vs cpu backend", "vs CPU reference"},
                                       table);
}

}  // namespace

SectionDefinition bench_table_section() {
  return {"bench_table", "lossbench bench", 60, 30, 10, false, nullptr, run};
}

}  // namespace lossbench::report
