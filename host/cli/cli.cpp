#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <new>
#include <optional>

#include "command_bench.hpp"
#include "command_loss.hpp"
#include "command_machine.hpp"
#include "command_report.hpp"
#include "command_train.hpp"
#include "command_verify.hpp"
#include "cpu_threads_option.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench::cli {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "lossbench: fused sigmoid + loss + gradient kernels (MSE, cross-entropy), checked against a "
      "double-precision CPU reference.\nWith no subcommand it runs the main job: `verify` on the best backend "
      "(cuda when a GPU is usable, else the emulator).",
      "lossbench"};
  app.require_subcommand(0, 1);

  LossCommandOptions loss_options;
  CLI::App* loss_command = add_loss_command(app, loss_options);
  VerifyCommandOptions verify_options;
  CLI::App* verify_command = add_verify_command(app, verify_options);
  BenchCommandOptions bench_options;
  CLI::App* bench_command = add_bench_command(app, bench_options);
  TrainCommandOptions train_options;
  CLI::App* train_command = add_train_command(app, train_options);
  MachineCommandOptions machine_options;
  CLI::App* machine_command = add_machine_command(app, machine_options);
  ReportCommandOptions report_options;
  CLI::App* report_command = add_report_command(app, report_options);
  std::optional<int> cpu_threads;
  for (CLI::App* computes : {loss_command, verify_command, bench_command, train_command}) {
    add_cpu_threads_option(*computes, cpu_threads);
  }

  try {
    // CLI11 takes a vector of arguments in reverse order.
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e, out, err);
    return status == 0 ? kExitOk : kExitBadInput;  // --help is a ParseError that succeeds
  }

  try {
    // The commands that compute (and the main job, verify); not machine or report.
    if (!machine_command->parsed() && !report_command->parsed()) apply_cpu_threads_option(cpu_threads);
    if (loss_command->parsed()) {
      run_loss_command(loss_options, out);
      return kExitOk;
    }
    if (bench_command->parsed()) {
      run_bench_command(bench_options, out, err);
      return kExitOk;
    }
    if (train_command->parsed()) {
      run_train_command(train_options, out, err);
      return kExitOk;
    }
    if (machine_command->parsed()) {
      return run_machine_command(machine_options, out, err) ? kExitOk : kExitBackendError;
    }
    if (report_command->parsed()) {
      run_report_command(report_options, out, err);
      return kExitOk;
    }
    // `verify`, or the main job, which is verify with its defaults.
    return run_verify_command(verify_options, out, err) ? kExitOk : kExitVerificationFailed;
  } catch (const InputError& e) {
    err << "lossbench: error: " << e.what() << '\n';
    return kExitBadInput;
  } catch (const BackendError& e) {
    err << "lossbench: backend error: " << e.what() << '\n';
    return kExitBackendError;
  } catch (const std::bad_alloc&) {
    err << "lossbench: error: out of host memory\n";
    return kExitBackendError;
  } catch (const std::exception& e) {
    // Only what no layer below knew how to name: a bug of lossbench's own.
    err << "lossbench: internal error: " << e.what() << '\n';
    return kExitBackendError;
  }
}

}  // namespace lossbench::cli
