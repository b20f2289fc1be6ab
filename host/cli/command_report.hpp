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
  std::optional<double> budget_seconds;  // default kReportBudgetSeconds or kQuickReportBudgetSeconds, times time_scale
  double time_scale = 1;                 // multiplies the default budget and every section's time limit
};

inline constexpr double kReportBudgetSeconds = 480;
inline constexpr double kQuickReportBudgetSeconds = 420;

CLI::App* add_report_command(CLI::App& app, ReportCommandOptions& options);
void run_report_command(const ReportCommandOptions& options, std::ostream& out, std::ostream& progress);

}  // namespace lossbench::cli
