#pragma once
// `lossbench loss`: loss and gradient of .npy inputs, for every loss the C++
// API computes: sigmoid bce/mse (fused_loss), softmax cross-entropy and KL
// (softmax_loss), and the Gaussian NLL (gaussian_nll).
#include <CLI/CLI.hpp>

#include <cstdint>
#include <ostream>
#include <string>

namespace lossbench::cli {

struct LossCommandOptions {
  std::string loss = "bce";  // bce | mse | softmax-ce | kl | gaussian-nll
  std::string reduction = "mean";
  std::string logits_path;   // z; μ for gaussian-nll
  std::string targets_path;  // y; class indices or probabilities for the softmax losses
  std::string grad_out_path;
  std::string loss_out_path;
  std::string backend = "ref";
  std::string dtype;  // empty: the logits file's dtype
  std::string activation = "sigmoid";  // mse: sigmoid | identity
  float pos_weight = 1.0f;
  std::string pos_weight_path;  // bce: a .npy of pos_weights (--pos-weight p.npy), broadcast over the logits
  std::string weight_path;      // bce, mse: a .npy of weights, broadcast over the logits
  std::string class_weight_path;  // softmax-ce: a .npy of V class weights (PyTorch's cross_entropy weight)
  float grad_scale = 1.0f;
  bool in_place = false;
  bool skip_target_validation = false;
  int repeats = 1;  // timed calls, after one untimed warm-up

  // softmax-ce and kl (PyTorch's defaults; an option is "given" when it
  // differs from its default, as the API judges its own options).
  float label_smoothing = 0.0f;
  std::int64_t ignore_index = -100;
  float z_loss = 0.0f;
  std::string entropy_out_path;

  // gaussian-nll.
  std::string var_path;
  std::string var_grad_out_path;
  float eps = 1e-6f;
  bool full = false;
};

/// Registers the subcommand and binds its options to `options`.
CLI::App* add_loss_command(CLI::App& app, LossCommandOptions& options);

/// Runs it: prints {"loss", "n", "backend", "time_ms", "times_ms", ...} as
/// JSON on `out`, writes the requested .npy outputs. Throws InputError on bad
/// input (a file, a value, an option its loss does not take), BackendError
/// when the backend cannot run.
void run_loss_command(const LossCommandOptions& options, std::ostream& out);

}  // namespace lossbench::cli
