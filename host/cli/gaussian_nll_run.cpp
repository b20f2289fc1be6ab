// `lossbench loss --loss gaussian-nll`: the Gaussian negative log-likelihood
// through gaussian_nll(). --logits is the mean μ, --targets y, --var the
// variances, all of one shape: PyTorch also broadcasts a var with one fewer
// axis or a last axis of 1, which the API (one variance per element) does
// not take, so such a file is refused by name.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "call_timing.hpp"
#include "loss_inputs.hpp"
#include "loss_results.hpp"
#include "loss_runs.hpp"
#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/loss/gaussian_nll.hpp"
#include "staged_outputs.hpp"

namespace lossbench::cli {
namespace {

// The API's check of the variances reads host memory: run it on the host
// arrays, with the call as it will run. Always, --no-validate or not: PyTorch
// refuses a negative variance too.
void validate_on_host(GaussianNllCall call, const void* mu, const void* target, const void* var,
                      const std::string& var_path) {
  double reduced_loss = 0;
  call.mu = mu;
  call.target = target;
  call.var = var;
  call.reduced_loss = call.reduction == Reduction::none ? nullptr : &reduced_loss;
  validate(call);  // the options: their messages name no file
  try {
    validate_gaussian_nll_var(call);
  } catch (const InputError& e) {
    throw InputError(var_path + ": " + e.what());
  }
}

}  // namespace

void run_gaussian_nll(const LossCommandOptions& options, std::ostream& out) {
  GaussianNllCall call;
  call.reduction = parse_reduction(options.reduction);
  const Backend backend = parse_backend(options.backend);
  const NamedArray mu = read_input(options.logits_path);
  const NamedArray target = read_input(options.targets_path);
  const NamedArray var = read_input(options.var_path);
  require_same_shape(mu, "logits (μ)", target, "targets");
  require_same_shape(mu, "logits (μ)", var, "var",
                     "lossbench takes one variance per element: PyTorch's broadcasting of a var with one fewer axis "
                     "or a last axis of 1 is not supported");
  call.dtype = compute_dtype(options.dtype, mu.array);
  call.n = mu.array.size();
  call.eps = options.eps;
  call.full = options.full;
  call.grad_scale = options.grad_scale;

  const bool validate = !options.skip_target_validation;
  const std::vector<unsigned char> mu_input = converted(mu, call.dtype, validate);
  const std::vector<unsigned char> y_input = converted(target, call.dtype, validate);
  const std::vector<unsigned char> var_input = converted(var, call.dtype, validate);
  validate_on_host(call, mu_input.data(), y_input.data(), var_input.data(), var.path);

  const std::size_t bytes = static_cast<std::size_t>(call.n) * dtype_size(call.dtype);
  const bool want_grad_mu = !options.grad_out_path.empty() || options.in_place;
  const bool want_grad_var = !options.var_grad_out_path.empty();
  const bool reduces = call.reduction != Reduction::none;
  // Before any allocation: a backend without gaussian_nll says so here.
  BackendBuffer workspace(backend, gaussian_nll_workspace_size(call.n, call.reduction, backend));
  workspace.fill_bytes(0);

  BackendBuffer mu_buffer = uploaded(backend, mu_input);
  const BackendBuffer y_buffer = uploaded(backend, y_input);
  BackendBuffer var_buffer = uploaded(backend, var_input);
  std::optional<BackendBuffer> grad_mu;
  if (want_grad_mu && !options.in_place) grad_mu.emplace(backend, bytes);
  std::optional<BackendBuffer> grad_var;
  if (want_grad_var && !options.in_place) grad_var.emplace(backend, bytes);
  std::optional<BackendBuffer> elementwise;
  if (!reduces && !options.loss_out_path.empty()) elementwise.emplace(backend, bytes);
  BackendBuffer reduced(backend, sizeof(double));
  call.mu = mu_buffer.data();
  call.target = y_buffer.data();
  call.var = var_buffer.data();
  call.grad_mu = !want_grad_mu ? nullptr : options.in_place ? mu_buffer.data() : grad_mu->data();
  call.grad_var = !want_grad_var ? nullptr : options.in_place ? var_buffer.data() : grad_var->data();
  call.elementwise_loss = elementwise ? elementwise->data() : nullptr;
  call.reduced_loss = reduces ? static_cast<double*>(reduced.data()) : nullptr;

  // In place, each call overwrites μ (and var) with the gradients: put them
  // back before every call so that each computes from the same inputs.
  std::function<void()> restore;
  if (options.in_place) {
    restore = [&] {
      mu_buffer.upload(mu_input.data(), bytes);
      var_buffer.upload(var_input.data(), bytes);
    };
  }
  const std::vector<double> times_ms = call_milliseconds(
      backend, [&] { gaussian_nll(call, backend, workspace.data(), workspace.size()); }, options.repeats, restore);
  const std::optional<double> reduced_loss = read_reduced_loss(reduced, reduces);
  const auto download = [&](const BackendBuffer& buffer) { return download_bytes(buffer, bytes); };
  const std::vector<std::int64_t>& shape = mu.array.shape;
  StagedOutputs outputs;
  if (!options.grad_out_path.empty()) {
    outputs.add(options.grad_out_path,
                npy::from_dtype(download(options.in_place ? mu_buffer : *grad_mu), call.dtype, shape));
  }
  if (want_grad_var) {
    outputs.add(options.var_grad_out_path,
                npy::from_dtype(download(options.in_place ? var_buffer : *grad_var), call.dtype, shape));
  }
  if (!options.loss_out_path.empty()) {
    outputs.add(options.loss_out_path, reduced_loss ? reduced_loss_array(*reduced_loss)
                                                    : npy::from_dtype(download(*elementwise), call.dtype, shape));
  }
  outputs.commit();

  nlohmann::json report;
  // A NaN (the mean of nothing) or a missing reduced loss is written as null.
  report["loss"] = reduced_loss ? nlohmann::json(*reduced_loss) : nlohmann::json(nullptr);
  report["n"] = call.n;
  report["backend"] = to_string(backend);
  report["loss_function"] = "gaussian-nll";
  report["reduction"] = to_string(call.reduction);
  report["dtype"] = to_string(call.dtype);
  report["input_dtype"] = {{"logits", npy::to_string(mu.array.type)},
                           {"targets", npy::to_string(target.array.type)},
                           {"var", npy::to_string(var.array.type)}};
  report["eps"] = call.eps;
  report["full"] = call.full;
  add_call_times(report, times_ms, options.repeats);
  out << report.dump() << '\n';
}

}  // namespace lossbench::cli
