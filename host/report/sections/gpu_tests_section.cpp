// The GPU test executables (test_gpu_*), each run whole with --gtest_brief=1
// and its results read from --gtest_output=json. Each gets what is left of
// the section's time, so one that hangs is killed and the rest still run
// only if time remains.
#include "json_file.hpp"
#include "markdown_table.hpp"
#include "sections/gtest_results.hpp"
#include "sections/sections.hpp"

namespace lossbench::report {
namespace {

void run(SectionContext& ctx) {
  std::vector<std::vector<std::string>> rows;
  nlohmann::json data = nlohmann::json::array();
  std::size_t failed_total = 0;
  for (const std::filesystem::path& test : ctx.layout.gpu_tests) {
    const std::string name = test.filename().string();
    if (ctx.seconds_left() < 1) {
      rows.push_back({name, "not run: the section's time is up", "", "", "", ""});
      data.push_back({{"executable", name}, {"status", "not run"}});
      ctx.record.status = SectionStatus::timed_out;
      ctx.record.reason = "time up before " + name;
      continue;
    }
    const auto file = ctx.data_file("gpu_tests/" + name + ".json");
    const ProcessOutcome outcome =
        ctx.run("gpu_tests/" + name, {test.string(), "--gtest_brief=1", "--gtest_output=json:" + file.string()});
    std::string error;
    const std::optional<nlohmann::json> json = read_json_file(file, error);
    const GtestResults r = json ? parse_gtest_json(*json) : GtestResults{};
    failed_total += r.failed;
    const std::string status = outcome.succeeded() ? "passed" : outcome.describe();
    std::string failing;
    for (const std::string& t : r.failed_tests) failing += (failing.empty() ? "" : ", ") + t;
    rows.push_back({name, status, std::to_string(r.passed), std::to_string(r.failed), std::to_string(r.skipped),
                    failing});
    data.push_back({{"executable", name},
                    {"status", status},
                    {"passed", r.passed},
                    {"failed", r.failed},
                    {"skipped", r.skipped},
                    {"disabled", r.disabled},
                    {"failed_tests", r.failed_tests},
                    {"seconds", outcome.seconds}});
    ctx.record.measurements[name + "/failed"] = static_cast<double>(r.failed);
    if (!outcome.succeeded()) ctx.record_failure(name, outcome);
  }
  ctx.record.data = {{"directory", ctx.layout.gpu_test_directory.string()}, {"executables", data}};
  ctx.record.markdown = "From " + ctx.layout.gpu_test_directory.string() + ".\n\n" +
                        markdown_table({"executable", "result", "passed", "failed", "skipped", "failing tests"}, rows);
  ctx.record.measurements["failed"] = static_cast<double>(failed_total);
}

std::string unavailable(const SectionContext& ctx) {
  if (ctx.layout.gpu_tests.empty()) return "no test_gpu_* executable in " + ctx.layout.gpu_test_directory.string();
  return "";
}

}  // namespace

SectionDefinition gpu_tests_section() {
  return {"gpu_tests", "GPU tests", 120, 60, 10, true, unavailable, run};
}

}  // namespace lossbench::report
