#pragma once
// `lossbench loss`: loss and gradient of .npy logits and targets.
#include <CLI/CLI.hpp>

#include <ostream>
#include <string>

namespace lossbench::cli {

struct LossCommandOptions {
  std::string loss = "bce";
  std::string reduction = "mean";
  std::string logits_path;
  std::string targets_path;
  std::string grad_out_path;
  std::string loss_out_path;
  std::string backend = "ref";
  std::string dtype;  // empty: the logits file's dtype
  float pos_weight = 1.0f;
  float grad_scale = 1.0f;
  bool in_place = false;
  bool skip_target_validation = false;
  int repeats = 1;  // timed fused calls, after one untimed warm-up
};

/// Registers the subcommand and binds its options to `options`.
CLI::App* add_loss_command(CLI::App& app, LossCommandOptions& options);

/// Runs it: prints {"loss", "n", "backend", "time_ms", "times_ms", ...} as
/// JSON on `out`, writes the requested .npy outputs. Throws InputError on bad input, BackendError when
/// the backend cannot run.
void run_loss_command(const LossCommandOptions& options, std::ostream& out);

}  // namespace lossbench::cli
