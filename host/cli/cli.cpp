#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <exception>

#include "command_loss.hpp"
#include "default_job.hpp"
#include "lossbench/error.hpp"

namespace lossbench::cli {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "lossbench: fused sigmoid + loss + gradient kernels (MSE, cross-entropy), checked against a "
      "double-precision CPU reference.\nWith no subcommand it runs the main job: the reference on a "
      "generated batch.",
      "lossbench"};
  app.require_subcommand(0, 1);

  DefaultJobOptions default_job;
  app.add_option("--size", default_job.size, "Batch size of the main job")->capture_default_str();
  app.add_option("--seed", default_job.seed, "Random seed of the main job's batch")->capture_default_str();

  LossCommandOptions loss_options;
  CLI::App* loss_command = add_loss_command(app, loss_options);

  try {
    // CLI11 takes a vector of arguments in reverse order.
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e, out, err);
    return status == 0 ? kExitOk : kExitBadInput;  // --help is a ParseError that succeeds
  }

  try {
    if (loss_command->parsed()) {
      run_loss_command(loss_options, out);
    } else {
      run_default_job(default_job, out);
    }
    return kExitOk;
  } catch (const InputError& e) {
    err << "lossbench: error: " << e.what() << '\n';
    return kExitBadInput;
  } catch (const std::exception& e) {
    err << "lossbench: internal error: " << e.what() << '\n';
    return kExitInternalError;
  }
}

}  // namespace lossbench::cli
