// report.md and report.json from a document: the first line says whether
// there is a GPU and which sections were skipped, every section appears
// with its status, a failure quotes its output, and both files are written
// whole.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/test_directory.hpp"
#include "markdown_table.hpp"
#include "report_rendering.hpp"

namespace lossbench::report {
namespace {

SectionRecord section(const std::string& name, const std::string& title, SectionStatus status,
                      const std::string& reason = "") {
  SectionRecord s;
  s.name = name;
  s.title = title;
  s.status = status;
  s.reason = reason;
  return s;
}

ReportDocument no_gpu_document() {
  ReportDocument d;
  d.started_at = "2026-12-02T10:00:00Z";
  d.quick = true;
  d.budget_seconds = 180;
  d.elapsed_seconds = 12.5;
  d.gpu = false;
  d.no_gpu_reason = "no CUDA device found";
  d.layout = "build tree: /build/host/cli";
  SectionRecord machine = section("machine", "Machine", SectionStatus::ok);
  machine.markdown = "| what | value |\n|---|---|\n| cpu model | test CPU |\n";
  machine.measurements["host_copy_bandwidth_GB_per_s"] = 24.5;
  SectionRecord verify = section("verify", "Verification", SectionStatus::failed, "2 of 10 cases failed");
  verify.output_tail = "bce/f32/mean/n=7 FAIL\n";
  verify.logs = {"logs/verify.log"};
  d.sections = {machine, verify, section("gpu_tests", "GPU tests", SectionStatus::skipped, "no GPU"),
                section("ncu", "ncu", SectionStatus::skipped, "no GPU"),
                section("plots", "Plots", SectionStatus::pending)};
  return d;
}

TEST(ReportRendering, WithoutAGpuTheFirstLineSaysSoAndListsTheSkippedSections) {
  const std::string md = render_markdown(no_gpu_document());
  const std::string first = md.substr(0, md.find('\n'));
  EXPECT_EQ(first.rfind("**No GPU**: no CUDA device found.", 0), 0u) << first;
  EXPECT_NE(first.find("gpu_tests (no GPU), ncu (no GPU)"), std::string::npos) << first;
  EXPECT_EQ(first.find("plots"), std::string::npos) << "a pending section is not a skipped one: " << first;
}

TEST(ReportRendering, WithAGpuTheFirstLineNamesIt) {
  ReportDocument d = no_gpu_document();
  d.gpu = true;
  d.gpu_name = "NVIDIA H100 80GB HBM3";
  const std::string md = render_markdown(d);
  EXPECT_EQ(md.substr(0, md.find('\n')), "# lossbench report: NVIDIA H100 80GB HBM3");
}

TEST(ReportRendering, EverySectionHasItsStatusAndAFailureItsOutput) {
  const std::string md = render_markdown(no_gpu_document());
  EXPECT_NE(md.find("| verify | failed: 2 of 10 cases failed |"), std::string::npos) << md;
  EXPECT_NE(md.find("| plots | pending | - |"), std::string::npos) << md;
  EXPECT_NE(md.find("## Verification\n\nStatus: **failed** (2 of 10 cases failed)"), std::string::npos) << md;
  EXPECT_NE(md.find("```\nbce/f32/mean/n=7 FAIL\n```"), std::string::npos) << md;
  EXPECT_NE(md.find("[logs/verify.log](logs/verify.log)"), std::string::npos) << md;
  EXPECT_NE(md.find("| cpu model | test CPU |"), std::string::npos) << "the section's own body";
  EXPECT_NE(md.find("(still running, or cut short)"), std::string::npos);
}

TEST(ReportRendering, JsonHasTheTopLevelFactsAndEverySection) {
  const nlohmann::json j = render_json(no_gpu_document());
  EXPECT_EQ(j["gpu"], false);
  EXPECT_EQ(j["no_gpu_reason"], "no CUDA device found");
  ASSERT_EQ(j["skipped_sections"].size(), 2u);
  EXPECT_EQ(j["skipped_sections"][0]["name"], "gpu_tests");
  EXPECT_EQ(j["skipped_sections"][0]["reason"], "no GPU");
  EXPECT_EQ(j["section_order"], nlohmann::json({"machine", "verify", "gpu_tests", "ncu", "plots"}));
  EXPECT_EQ(j["sections"]["verify"]["status"], "failed");
  EXPECT_EQ(j["sections"]["machine"]["measurements"]["host_copy_bandwidth_GB_per_s"], 24.5);
  EXPECT_EQ(j["sections"]["plots"]["status"], "pending");
  EXPECT_EQ(j["finished"], false);
}

TEST(ReportRendering, WriteReportReplacesBothFilesWhole) {
  testing::TestDirectory dir;
  dir.put("report.md", "old");
  write_report(no_gpu_document(), dir);
  EXPECT_EQ(dir.listing(), (std::vector<std::string>{"report.json", "report.md"}));
  EXPECT_EQ(dir.contents("report.md"), render_markdown(no_gpu_document()));
  EXPECT_EQ(nlohmann::json::parse(dir.contents("report.json")), render_json(no_gpu_document()));
}

TEST(ReportRendering, WriteReportIntoAMissingDirectoryIsAnError) {
  testing::TestDirectory dir;
  EXPECT_THROW(write_report(no_gpu_document(), dir / "absent"), std::exception);
}

TEST(MarkdownTable, EscapesPipesAndPadsShortRows) {
  EXPECT_EQ(markdown_table({"a", "b"}, {{"x|y"}, {"1", "2"}}), "| a | b |\n|---|---|\n| x\\|y |  |\n| 1 | 2 |\n");
}

TEST(FormatNumber, SignificantDigitsWithoutExponentForOrdinaryValues) {
  EXPECT_EQ(format_number(1076.7, 5), "1076.7");
  EXPECT_EQ(format_number(3.0, 3), "3.00");
  EXPECT_EQ(format_number(0.012345, 3), "0.0123");
  EXPECT_EQ(format_number(123456.0, 3), "123456");
  EXPECT_EQ(format_number(3.2e9, 3), "3.2e+09");
  EXPECT_EQ(format_seconds(7.2e-6), "7.20 µs");
  EXPECT_EQ(format_seconds(1.0767e-3), "1.08 ms");
}

}  // namespace
}  // namespace lossbench::report
