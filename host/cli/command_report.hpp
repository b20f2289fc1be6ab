#pragma once
// `lossbench report`: measure everything the project predicts on this
// machine, within a time budget, into DIR/report.md and DIR/report.json
// (host/report/ runs the sections).
#include <CLI/CLI.hpp>

#include <optional>
#include <ostream>
#include <string>

namespace lossbench::cli {

struct ReportCommandOptions {
  std::string out = "lossbench-report";
  bool quick = false;
  std::optional<double> budget_seconds;  // default 480, or 180 with --quick
};

inline constexpr double kReportBudgetSeconds = 480;
inline constexpr double kQuickReportBudgetSeconds = 420;  // the emulated quick verify takes ~190 s under ASan

CLI::App* add_report_command(CLI::App& app, ReportCommandOptions& options);
void run_report_command(const ReportCommandOptions& options, std::ostream& out, std::ostream& progress);

}  // namespace lossbench::cli
