#include "command_loss.hpp"

#include <exception>
#include <string>

#include "loss_option_scope.hpp"
#include "loss_runs.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench::cli {

CLI::App* add_loss_command(CLI::App& app, LossCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "loss",
      "Loss and gradient with respect to the logits for .npy inputs: sigmoid bce and mse, softmax cross-entropy "
      "and KL, Gaussian NLL. Prints the reduced loss as JSON "
      "({\"loss\", \"n\", \"backend\", ...}; loss is null for --reduction none) and writes the gradient.");
  cmd->add_option("--loss", options.loss,
                  "mse: ½(y − σ(z))² (½(y − z)² with --activation identity);  bce: binary cross-entropy from logits;  softmax-ce: cross-entropy of "
                  "softmax(z) over the last axis (PyTorch's cross_entropy);  kl: KL(q ‖ softmax(z)) (kl_div of "
                  "log_softmax(z), log_target=False);  gaussian-nll: Gaussian negative log-likelihood of y with "
                  "mean --logits and variance --var (gaussian_nll_loss)")
      ->check(CLI::IsMember({"mse", "bce", "softmax-ce", "kl", "gaussian-nll"}))
      ->capture_default_str();
  cmd->add_option("--reduction", options.reduction,
                  "Reduction over elements (over rows for softmax-ce; mean counts the rows not ignored); the "
                  "gradient is of the reduced loss. batchmean (kl only) divides the sum by the rows")
      ->check(CLI::IsMember({"none", "mean", "sum", "batchmean"}))
      ->capture_default_str();
  cmd->add_option("--logits", options.logits_path,
                  "Logits z (μ for gaussian-nll): .npy, float16, float32 or float64 (either byte order), C order, "
                  "any shape; for softmax-ce and kl the last axis is the classes and the leading axes, flattened, "
                  "the rows (a 1-d array is one row)")
      ->required();
  cmd->add_option("--targets", options.targets_path,
                  "bce, mse: y in [0, 1] (soft labels allowed; any number for mse with --activation identity), "
                  ".npy as --logits, the same shape (its dtype may "
                  "differ). softmax-ce: class indices (int32 or int64, '<i4' or '<i8', the logits' shape without "
                  "the last axis) or probability rows (floats, the logits' shape). kl: probability rows q. "
                  "gaussian-nll: y, floats of the logits' shape")
      ->required();
  cmd->add_option("--grad-out", options.grad_out_path,
                  "Write dC/dz (dC/dμ for gaussian-nll) here (.npy, the logits' shape, in --dtype; bf16 is written "
                  "as float32, exactly)");
  cmd->add_option("--loss-out", options.loss_out_path,
                  "Write the loss here (.npy, as --grad-out): for --reduction none per element (bce, mse, kl, "
                  "gaussian-nll) or per row (softmax-ce: the logits' shape without the last axis, 0 for an "
                  "ignored row); a 0-d float64 array otherwise");
  cmd->add_option("--backend", options.backend,
                  "ref: double-precision CPU reference; emu: the CUDA kernels on the CPU emulator; cuda: the GPU; "
                  "cpu: float32 on the CPU, SIMD and threads (see --threads)")
      ->check(CLI::IsMember({"ref", "emu", "cuda", "cpu"}))
      ->capture_default_str();
  cmd->add_option("--dtype", options.dtype,
                  "Storage type of the computation: f32, f16 or bf16 (default: the logits file's, f32 for a "
                  "float64 file); float inputs are converted to it, rounding to nearest, for every backend")
      ->check(CLI::IsMember({"f32", "f16", "bf16"}));
  cmd->add_option("--activation", options.activation,
                  "mse only: sigmoid (the loss of a = σ(z)) or identity (of z itself: a regression output, "
                  "ℓ = ½(y − z)², half PyTorch's mse_loss)")
      ->check(CLI::IsMember({"sigmoid", "identity"}))
      ->capture_default_str();
  cmd->add_option_function<std::string>(
         "--pos-weight",
         [&options](const std::string& value) {
           // A number is the scalar p; anything else names a .npy file.
           std::size_t used = 0;
           try {
             options.pos_weight = std::stof(value, &used);
           } catch (const std::exception&) {
             used = 0;
           }
           if (used != value.size() || value.empty()) {
             options.pos_weight = 1.0f;
             options.pos_weight_path = value;
           }
         },
         "bce only: weight p of the positive term (PyTorch's pos_weight): a number, or a .npy of p's that "
         "broadcasts over the logits (e.g. one per class, the last axis' length)")
      ->type_name("P|p.npy");
  cmd->add_option("--weight", options.weight_path,
                  "bce, mse: a .npy of weights that broadcasts over the logits (PyTorch's weight: any shape whose "
                  "axes, aligned at the last, are the logits' or 1); each element's loss and gradient are "
                  "multiplied by its weight");
  cmd->add_option("--grad-scale", options.grad_scale,
                  "Multiplies the gradient(s) (an upstream gradient or loss scale)")
      ->capture_default_str();
  cmd->add_flag("--in-place", options.in_place,
                "Write the gradient over the logits' memory (saves one buffer); gaussian-nll also writes dC/dvar "
                "over the variances' when --var-grad-out is given");
  cmd->add_option("--repeats", options.repeats,
                  "Run the call R times on the same backend buffers, after one untimed warm-up call; "
                  "time_ms is the median of the R calls and times_ms {min, median} summarises them. Each call "
                  "is timed alone: on cuda the kernel's GPU time (CUDA events), on ref, emu and cpu the call's wall "
                  "time; reading and converting the files, host-device copies and writing the outputs are "
                  "never timed. The outputs are the last call's (every call gives the same bits)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_flag("--no-validate", options.skip_target_validation,
                "Do not check that every finite input stays finite in --dtype (without the check it becomes inf), "
                "nor the targets: bce/mse's in [0, 1] and not NaN (identity mse's not NaN), softmax-ce's and kl's probability rows "
                "(each entry >= 0, each row summing to 1 within 1e-3). Class indices and gaussian-nll's "
                "variances are always checked: an index out of range would be read out of bounds, and PyTorch "
                "refuses a negative variance");
  cmd->add_option("--label-smoothing", options.label_smoothing,
                  "softmax-ce only: ε in [0, 1]; the targets become (1 − ε)·(one-hot or q) + ε/V")
      ->capture_default_str();
  cmd->add_option("--ignore-index", options.ignore_index,
                  "softmax-ce with class indices only: rows with this label add nothing and are not counted by mean")
      ->capture_default_str();
  cmd->add_option("--z-loss", options.z_loss,
                  "softmax-ce with class indices only: c >= 0 adds c·lse² per row (lse = log Σ_j e^{z_j})")
      ->capture_default_str();
  cmd->add_option("--class-weight", options.class_weight_path,
                  "softmax-ce only (not with --z-loss): a .npy of V class weights, each finite and >= 0 (PyTorch's "
                  "cross_entropy weight): a class index t weighs its row by w_t and the mean divides by Σ w_t over "
                  "the rows not ignored; label smoothing spreads ε by the weights; probability rows become w·q");
  cmd->add_option("--entropy-out", options.entropy_out_path,
                  "softmax-ce and kl: write the entropy H(softmax(z)) of every row here (.npy, the logits' shape "
                  "without the last axis, in --dtype)");
  cmd->add_option("--var", options.var_path,
                  "gaussian-nll only (required there): the variances, floats of the logits' shape, each >= 0 "
                  "(PyTorch's broadcasting of a var with one fewer axis or a last axis of 1 is not supported)");
  cmd->add_option("--var-grad-out", options.var_grad_out_path,
                  "gaussian-nll only: write dC/dvar here (.npy, as --grad-out)");
  cmd->add_option("--eps", options.eps, "gaussian-nll only: the variance's floor, max(var, eps)")
      ->capture_default_str();
  cmd->add_flag("--full", options.full, "gaussian-nll only: add the constant ½ log 2π to every element's loss");
  return cmd;
}

void run_loss_command(const LossCommandOptions& options, std::ostream& out) {
  // CLI11 checks the range too; this keeps the in-process API honest.
  if (options.repeats < 1) {
    throw InputError("--repeats must be at least 1, got " + std::to_string(options.repeats));
  }
  require_options_apply(options);
  switch (loss_family(options.loss)) {
    case LossFamily::fused: return run_fused_loss(options, out);
    case LossFamily::softmax: return run_softmax_loss(options, out);
    case LossFamily::gaussian_nll: return run_gaussian_nll(options, out);
  }
}

}  // namespace lossbench::cli
