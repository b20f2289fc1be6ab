// PyTorch side by side: compare_pytorch.py (bench/, installed in
// share/lossbench/) times PyTorch against lossbench on the same inputs and
// writes {"status": "ok"|"skipped"|"failed", "reason", "device", "rows":
// [{"case", "impl", "time_ms", "agrees", "detail"}]}; it exits 0 with status
// skipped when torch is missing. Its rows become a table, whatever they are.
#include "json_file.hpp"
#include "markdown_table.hpp"
#include "process_runner.hpp"
#include "sections/sections.hpp"

namespace lossbench::report {
namespace {

std::string cell(const nlohmann::json& row, const char* key) {
  const auto it = row.find(key);
  if (it == row.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_boolean()) return it->get<bool>() ? "yes" : "NO";
  if (it->is_number()) return format_number(it->get<double>(), 4);
  return it->dump();
}

void run(SectionContext& ctx) {
  const auto file = ctx.data_file("pytorch.json");
  std::vector<std::string> argv{find_on_path("python3").string(), ctx.layout.compare_pytorch_script.string(),
                                "--lossbench", ctx.layout.lossbench.string(), "--device", ctx.gpu() ? "cuda" : "cpu",
                                "--out", file.string()};
  if (ctx.quick()) argv.emplace_back("--quick");
  const ProcessOutcome outcome = ctx.run("pytorch", argv);
  std::string error;
  const std::optional<nlohmann::json> result = read_json_file(file, error);
  if (!outcome.succeeded()) ctx.record_failure("compare_pytorch.py", outcome);
  if (!result || !result->is_object()) {
    if (ctx.record.status == SectionStatus::pending) {
      ctx.record.status = SectionStatus::failed;
      ctx.record.reason = result ? "its JSON is not an object" : error;
    }
    return;
  }
  ctx.record.data = *result;
  const std::string status = result->value("status", "");
  const std::string reason = result->value("reason", "");
  if (status == "skipped" && ctx.record.status == SectionStatus::pending) {
    ctx.record.status = SectionStatus::skipped;
    ctx.record.reason = reason.empty() ? "compare_pytorch.py skipped" : reason;
  } else if (status != "ok" && ctx.record.status == SectionStatus::pending) {
    ctx.record.status = SectionStatus::failed;
    ctx.record.reason = "compare_pytorch.py: " + (status.empty() ? std::string("no status") : status) +
                        (reason.empty() ? "" : ": " + reason);
  }
  std::vector<std::vector<std::string>> rows;
  bool all_agree = true;
  for (const nlohmann::json& row : result->value("rows", nlohmann::json::array())) {
    if (!row.is_object()) continue;
    rows.push_back({cell(row, "case"), cell(row, "impl"), cell(row, "time_ms"), cell(row, "agrees"),
                    cell(row, "detail")});
    if (row.contains("time_ms") && row["time_ms"].is_number()) {
      ctx.record.measurements[cell(row, "case") + "/" + cell(row, "impl") + "/time_ms"] = row["time_ms"].get<double>();
    }
    if (row.value("agrees", true) == false) all_agree = false;
  }
  if (!all_agree && ctx.record.status == SectionStatus::pending) {
    ctx.record.status = SectionStatus::failed;
    ctx.record.reason = "lossbench and PyTorch disagree on a case";
  }
  ctx.record.markdown = "`compare_pytorch.py --device " + std::string(ctx.gpu() ? "cuda" : "cpu") +
                        "` on " + result->value("device", std::string("?")) + ".\n\n" +
                        (rows.empty() ? std::string("No rows.\n")
                                      : markdown_table({"case", "implementation", "time (ms)", "agrees", "detail"}, rows));
}

std::string unavailable(const SectionContext& ctx) {
  if (find_on_path("python3").empty()) return "python3 is not on PATH";
  if (ctx.layout.compare_pytorch_script.empty()) {
    std::string where;
    for (const auto& d : ctx.layout.script_directories) where += (where.empty() ? "" : ", ") + d.string();
    return "compare_pytorch.py not found (looked in " + where + ")";
  }
  return "";
}

}  // namespace

SectionDefinition pytorch_section() {
  return {"pytorch", "PyTorch side by side", 120, 45, 10, false, unavailable, run};
}

}  // namespace lossbench::report
