#pragma once
// A report section: what it is called, its time limits, whether it needs a
// GPU, and how it runs: its commands, each a child process
// (process_runner.hpp) with the time the section has left, whose results it
// reads back into its SectionRecord (status, Markdown body, data,
// measurements). A section never throws for a command that fails: it
// records the failure, and the report goes on.
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "executable_layout.hpp"
#include "process_runner.hpp"
#include "report_document.hpp"

namespace lossbench::report {

struct ReportSettings {
  std::filesystem::path out;  // the report directory
  bool quick = false;
  double budget_seconds = 0;
  double time_scale = 1;  // multiplies every section's limit (a slower build or machine)
};

class SectionContext {
 public:
  using Clock = std::chrono::steady_clock;

  SectionContext(const ReportSettings& report_settings, const ExecutableLayout& programs,
                 const ReportDocument& report, SectionRecord& section, Clock::time_point deadline,
                 std::function<bool()> stop_requested)
      : settings(report_settings),
        layout(programs),
        document(report),
        record(section),
        deadline_(deadline),
        stop_requested_(std::move(stop_requested)) {}

  const ReportSettings& settings;
  const ExecutableLayout& layout;
  const ReportDocument& document;  // the sections before this one
  SectionRecord& record;

  bool gpu() const { return document.gpu; }
  bool quick() const { return settings.quick; }
  double seconds_left() const;

  /// Runs `argv` with the time this section has left (or `limit_seconds`
  /// when smaller), output to logs/<log_name>.log, which is added to the
  /// record's logs.
  ProcessOutcome run(const std::string& log_name, const std::vector<std::string>& argv,
                     const std::vector<std::pair<std::string, std::string>>& environment = {},
                     double limit_seconds = 1e9);

  /// DIRECTORY/data/<name>, where a command writes a result file; an old one
  /// is removed first so that a stale result is never read as this run's.
  std::filesystem::path data_file(const std::string& name) const;

  /// Records a command that did not succeed: status failed (or timed out),
  /// `what` and how it ended as the reason, the tail of its output.
  void record_failure(const std::string& what, const ProcessOutcome& outcome);

 private:
  Clock::time_point deadline_;
  std::function<bool()> stop_requested_;
};

struct SectionDefinition {
  std::string name;
  std::string title;
  double limit_seconds = 60;        // in a full run
  double quick_limit_seconds = 30;  // with --quick
  double minimum_seconds = 5;       // skipped when less of the budget is left
  bool needs_gpu = false;
  /// Why the section cannot run on this machine (a tool not on PATH, a
  /// script not found), or "" when it can. Asked just before it runs.
  std::function<std::string(const SectionContext&)> unavailable;
  /// Runs it. Null for a section computed from the others (predictions).
  std::function<void(SectionContext&)> run;
};

}  // namespace lossbench::report
