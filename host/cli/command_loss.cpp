#include "command_loss.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "lossbench/error.hpp"
#include "lossbench/npy.hpp"
#include "lossbench/reference.hpp"

namespace lossbench::cli {

CLI::App* add_loss_command(CLI::App& app, LossCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "loss",
      "Loss and gradient with respect to the logits for .npy inputs. Prints the reduced loss as JSON "
      "({\"loss\", \"n\", \"backend\", ...}; loss is null for --reduction none) and writes the gradient "
      "in the logits' dtype.");
  cmd->add_option("--loss", options.loss, "mse: ½(y − σ(z))²;  bce: binary cross-entropy from logits")
      ->check(CLI::IsMember({"mse", "bce"}))
      ->capture_default_str();
  cmd->add_option("--reduction", options.reduction, "Reduction over elements; the gradient is of the reduced loss")
      ->check(CLI::IsMember({"none", "mean", "sum"}))
      ->capture_default_str();
  cmd->add_option("--logits", options.logits_path, "Logits z: .npy, float32 or float16, C order, any shape")
      ->required();
  cmd->add_option("--targets", options.targets_path,
                  "Targets y in [0, 1] (soft labels allowed): .npy, float32 or float16, same shape as the logits")
      ->required();
  cmd->add_option("--grad-out", options.grad_out_path, "Write dC/dz here (.npy, the logits' dtype and shape)");
  cmd->add_option("--loss-out", options.loss_out_path,
                  "Write the loss here (.npy, the logits' dtype): per element for --reduction none, a 0-d array "
                  "otherwise");
  cmd->add_option("--backend", options.backend, "Where to compute: ref (double-precision CPU reference)")
      ->check(CLI::IsMember({"ref"}))
      ->capture_default_str();
  cmd->add_flag("--no-validate", options.skip_target_validation,
                "Do not check that every target is in [0, 1] and not NaN (checked by default)");
  return cmd;
}

namespace {

npy::Array rounded_copy(const std::vector<double>& values, DType dtype, std::vector<std::int64_t> shape) {
  npy::Array array;
  array.dtype = dtype;
  array.shape = std::move(shape);
  array.bytes.resize(values.size() * dtype_size(dtype));
  for (std::size_t i = 0; i < values.size(); ++i) store_from_double(array.bytes.data(), dtype, i, values[i]);
  return array;
}

}  // namespace

void run_loss_command(const LossCommandOptions& options, std::ostream& out) {
  const Loss loss = parse_loss(options.loss);
  const Reduction reduction = parse_reduction(options.reduction);
  const npy::Array logits = npy::read(options.logits_path);
  const npy::Array targets = npy::read(options.targets_path);
  if (logits.shape != targets.shape) {
    throw InputError("logits " + options.logits_path + " have shape " + npy::shape_to_string(logits.shape) +
                     " but targets " + options.targets_path + " have shape " +
                     npy::shape_to_string(targets.shape) + ": the shapes must match");
  }
  if (!options.skip_target_validation) {
    try {
      reference::validate_targets(targets.view());
    } catch (const InputError& e) {
      throw InputError(options.targets_path + ": " + e.what());
    }
  }

  const auto start = std::chrono::steady_clock::now();
  const reference::Result result = reference::compute(loss, reduction, logits.view(), targets.view());
  const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;

  if (!options.grad_out_path.empty()) {
    npy::write(options.grad_out_path, rounded_copy(result.grad, logits.dtype, logits.shape));
  }
  if (!options.loss_out_path.empty()) {
    if (result.reduced_loss) {
      npy::write(options.loss_out_path, rounded_copy({*result.reduced_loss}, logits.dtype, {}));
    } else {
      npy::write(options.loss_out_path, rounded_copy(result.elementwise_loss, logits.dtype, logits.shape));
    }
  }

  nlohmann::json report;
  // A NaN (the mean of nothing) or a missing reduced loss is written as null.
  report["loss"] = result.reduced_loss ? nlohmann::json(*result.reduced_loss) : nlohmann::json(nullptr);
  report["n"] = logits.size();
  report["backend"] = options.backend;
  report["loss_function"] = to_string(loss);
  report["reduction"] = to_string(reduction);
  report["dtype"] = to_string(logits.dtype);
  report["time_ms"] = elapsed.count();
  out << report.dump() << '\n';
}

}  // namespace lossbench::cli
