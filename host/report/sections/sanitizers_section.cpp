// compute-sanitizer's memcheck, racecheck and synccheck, each over
// `lossbench verify --quick --backend cuda`, each with an equal share of the
// section's time left. A tool that times out is recorded with what it found
// before (its output's tail); the next still runs.
#include "json_file.hpp"
#include "markdown_table.hpp"
#include "process_runner.hpp"
#include "sections/sanitizer_summary.hpp"
#include "sections/sections.hpp"

namespace lossbench::report {
namespace {

void run(SectionContext& ctx) {
  const std::filesystem::path sanitizer = find_on_path("compute-sanitizer");
  const std::vector<std::string> tools{"memcheck", "racecheck", "synccheck"};
  std::vector<std::vector<std::string>> rows;
  nlohmann::json data = nlohmann::json::object();
  for (std::size_t i = 0; i < tools.size(); ++i) {
    const std::string& tool = tools[i];
    const double share = ctx.seconds_left() / static_cast<double>(tools.size() - i);
    const ProcessOutcome outcome =
        ctx.run("sanitizers/" + tool,
                {sanitizer.string(), "--tool", tool, "--print-limit", "20", ctx.layout.lossbench.string(), "verify",
                 "--quick", "--backend", "cuda"},
                {}, share);
    const std::optional<SanitizerSummary> summary =
        parse_sanitizer_summary(read_text_file(ctx.settings.out / ctx.record.logs.back()));
    rows.push_back({tool, outcome.describe(), summary ? summary->line : "no summary (did not finish)"});
    data[tool] = {{"exit", outcome.describe()},
                  {"seconds", outcome.seconds},
                  {"summary", summary ? nlohmann::json(summary->line) : nlohmann::json()},
                  {"errors", summary ? nlohmann::json(summary->errors) : nlohmann::json()}};
    if (summary) ctx.record.measurements[tool + "/errors"] = static_cast<double>(summary->errors);
    if (!outcome.succeeded()) {
      ctx.record_failure(tool, outcome);
    } else if (summary && summary->errors > 0) {
      ctx.record.status = SectionStatus::failed;
      ctx.record.reason += (ctx.record.reason.empty() ? "" : "; ") + tool + ": " + summary->line;
    }
  }
  ctx.record.data = data;
  ctx.record.markdown = "`compute-sanitizer --tool T lossbench verify --quick --backend cuda`.\n\n" +
                        markdown_table({"tool", "exit", "summary"}, rows);
}

std::string unavailable(const SectionContext&) {
  return find_on_path("compute-sanitizer").empty() ? "compute-sanitizer is not on PATH" : "";
}

}  // namespace

SectionDefinition sanitizers_section() {
  return {"sanitizers", "compute-sanitizer", 150, 60, 15, true, unavailable, run};
}

}  // namespace lossbench::report
