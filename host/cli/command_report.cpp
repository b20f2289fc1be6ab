#include "command_report.hpp"

#include <cmath>
#include <filesystem>
#include <system_error>

#include "executable_layout.hpp"
#include "lossbench/core/error.hpp"
#include "markdown_table.hpp"
#include "report_runner.hpp"
#include "stop_signals.hpp"

namespace lossbench::cli {

using report::format_number;

CLI::App* add_report_command(CLI::App& app, ReportCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Measure what the project predicts on this machine and write DIR/report.md and DIR/report.json: the machine, "
      "verify, the GPU tests, the benchmarks, training, predicted against measured (docs/predictions.json), "
      "PyTorch side by side, ncu and compute-sanitizer when present. Each section runs as a child process with its "
      "own time limit, and the report is rewritten after each; a failing section is recorded, never fatal. "
      "Without a GPU it writes what it can (machine, emulated verify --quick, CPU benchmarks) and says so on its "
      "first line. Exits 0 when the report is written, 2 on bad options.");
  cmd->add_option("--out", options.out, "Directory for the report (created; an existing report there is replaced)")
      ->capture_default_str();
  cmd->add_flag("--quick", options.quick, "Fewer sizes and cases: about 3 minutes on an H100 instead of 8");
  cmd->add_option("--budget", options.budget_seconds,
                  "Total time budget in seconds (default " + format_number(kReportBudgetSeconds, 3) + ", " +
                      format_number(kQuickReportBudgetSeconds, 3) +
                      " with --quick, times --time-scale); sections that no longer fit are skipped and recorded "
                      "as such");
  cmd->add_option("--time-scale", options.time_scale,
                  "Multiplies every section's time limit and the default budget (default 1): for a build or a "
                  "machine that runs the sections slower than the limits allow (the sanitizer build's test runs "
                  "it with 3)");
  return cmd;
}

namespace {

// Checked before anything runs: a bad --out or --budget is bad input (exit 2).
void prepare_output_directory(const std::filesystem::path& out) {
  std::error_code error;
  const auto status = std::filesystem::status(out, error);
  if (std::filesystem::exists(status) && !std::filesystem::is_directory(status)) {
    throw InputError("--out '" + out.string() + "' exists and is not a directory");
  }
  std::filesystem::create_directories(out / "logs", error);
  if (error) throw InputError("--out '" + out.string() + "': cannot create the directory: " + error.message());
}

}  // namespace

void run_report_command(const ReportCommandOptions& options, std::ostream& out, std::ostream& progress) {
  if (!std::isfinite(options.time_scale) || options.time_scale <= 0) {
    throw InputError("--time-scale must be a positive number, got " + format_number(options.time_scale));
  }
  const double budget = options.budget_seconds.value_or(
      (options.quick ? kQuickReportBudgetSeconds : kReportBudgetSeconds) * options.time_scale);
  if (!std::isfinite(budget) || budget <= 0) {
    throw InputError("--budget must be a positive number of seconds, got " + format_number(budget));
  }
  if (options.out.empty()) throw InputError("--out must name a directory");
  prepare_output_directory(options.out);
  const report::ExecutableLayout layout =
      report::locate_executables(report::running_executable(), LOSSBENCH_SOURCE_DIR);

  const report::ScopedStopSignals signals;
  const report::ReportSettings settings{options.out, options.quick, budget, options.time_scale};
  progress << "report: " << (options.quick ? "quick" : "full") << " run, budget " << budget << " s"
           << (options.time_scale != 1 ? ", section limits times " + format_number(options.time_scale) : "")
           << ", programs from "
           << layout.kind << " " << layout.lossbench.parent_path().string() << "; writing "
           << (settings.out / "report.md").string() << "\n"
           << std::flush;
  const report::ReportDocument document =
      report::run_report(settings, layout, progress, [] { return report::ScopedStopSignals::stop_requested(); });

  std::size_t ok = 0, failed = 0, skipped = 0;
  for (const report::SectionRecord& s : document.sections) {
    if (s.status == report::SectionStatus::ok) ++ok;
    else if (s.status == report::SectionStatus::skipped) ++skipped;
    else ++failed;
  }
  if (!document.gpu) out << "no GPU: " << document.no_gpu_reason << "\n";
  out << "report: " << (settings.out / "report.md").string() << " and report.json: " << ok << " sections ok, "
      << failed << " failed or timed out, " << skipped << " skipped, " << static_cast<long>(document.elapsed_seconds + 0.5)
      << " s\n";
}

}  // namespace lossbench::cli
