#pragma once
// What a report says, independent of how it is written: the run (when, how
// long, with or without a GPU) and one record per section, in the order the
// sections run. report_rendering.hpp turns it into report.md and report.json.
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lossbench::report {

enum class SectionStatus {
  pending,    // not run yet: a report cut short shows these
  ok,         // ran, and everything it checks passed
  failed,     // ran, and something failed, or it produced no result
  timed_out,  // killed at its time limit
  skipped,    // not run: no GPU, a tool missing, too little budget left, interrupted
};

std::string_view to_string(SectionStatus status);

struct SectionRecord {
  std::string name;   // machine, verify, ...: the key in report.json and predictions.json
  std::string title;  // a heading
  SectionStatus status = SectionStatus::pending;
  std::string reason;  // why it failed, timed out or was skipped
  double seconds = 0;
  double limit_seconds = 0;
  std::vector<std::string> logs;  // relative to the report directory
  std::string output_tail;        // of a command that failed
  std::string markdown;           // the body, in Markdown
  nlohmann::json data = nlohmann::json::object();  // the details, for report.json
  /// Numbers by key, what predictions.json's entries name to be compared.
  std::map<std::string, double> measurements;
};

struct ReportDocument {
  std::string started_at;  // UTC, ISO 8601
  bool quick = false;
  double budget_seconds = 0;
  double elapsed_seconds = 0;
  bool finished = false;  // false while sections are still to run
  bool gpu = false;
  std::string gpu_name;
  std::string no_gpu_reason;  // when !gpu
  std::string layout;         // where the programs came from, e.g. "installed: /opt/lossbench"
  std::vector<SectionRecord> sections;

  SectionRecord* find(std::string_view name);
  const SectionRecord* find(std::string_view name) const;
  /// "name (reason)" for each skipped section, in order.
  std::vector<std::string> skipped_sections() const;
};

}  // namespace lossbench::report
