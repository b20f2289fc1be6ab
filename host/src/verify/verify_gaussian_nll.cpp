#include "lossbench/verify/verify_gaussian_nll.hpp"

#include <cmath>
#include <cstring>
#include <optional>
#include <sstream>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/loss/gaussian_nll.hpp"
#include "lossbench/loss/gaussian_nll_bounds.hpp"
#include "lossbench/reference/gaussian_nll_reference.hpp"
#include "lossbench/verify/guarded_array.hpp"

namespace lossbench {
namespace {

struct RunOutputs {
  GuardedContents grad_mu;           // empty payload when not written
  GuardedContents grad_var;          // empty payload when not written
  GuardedContents elementwise_loss;  // empty payload when not written
  GuardedContents reduced_loss;      // one double, or empty
};

std::vector<double> load_all(const std::vector<unsigned char>& bytes, DType dtype) {
  std::vector<double> values(bytes.size() / dtype_size(dtype));
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = load_as_double(bytes.data(), dtype, i);
  return values;
}

// The reference value a backend must match: x itself, or the infinity it
// becomes in `dtype` when it is beyond the dtype's range (f16 above 65504),
// as every backend's one rounding of it must then be.
double expected_in(DType dtype, double x) {
  unsigned char bytes[sizeof(float)];
  store_from_double(bytes, dtype, 0, x);
  const double rounded = load_as_double(bytes, dtype, 0);
  return std::isinf(rounded) && !std::isinf(x) ? rounded : x;
}

double load_double(const std::vector<unsigned char>& bytes) {
  double value;
  std::memcpy(&value, bytes.data(), sizeof value);
  return value;
}

}  // namespace

GaussianNllVerifyResult verify_gaussian_nll_case(const GaussianNllVerifyCase& config, Backend backend) {
  return verify_gaussian_nll_case(config, make_gaussian_nll_inputs(config.dtype, config.n, config.seed), backend);
}

GaussianNllVerifyResult verify_gaussian_nll_case(const GaussianNllVerifyCase& config, const GaussianNllInputs& inputs,
                                                 Backend backend) {
  GaussianNllVerifyResult result;
  result.config = config;
  const DType dtype = config.dtype;
  const std::size_t element_bytes = dtype_size(dtype);
  const std::int64_t n = config.n;
  const bool reduces = config.reduction != Reduction::none;
  const bool writes_elementwise = !reduces && config.elementwise_loss;

  GuardedArray mu(backend, element_bytes, n, config.offset);
  GuardedArray target(backend, element_bytes, n, config.offset);
  GuardedArray var(backend, element_bytes, n, config.offset);
  std::optional<GuardedArray> grad_mu;
  if (config.grad_mu && !config.in_place) grad_mu.emplace(backend, element_bytes, n, config.offset);
  std::optional<GuardedArray> grad_var;
  if (config.grad_var && !config.in_place) grad_var.emplace(backend, element_bytes, n, config.offset);
  std::optional<GuardedArray> elementwise;
  if (writes_elementwise) elementwise.emplace(backend, element_bytes, n, config.offset);
  std::optional<GuardedArray> reduced;
  if (reduces) reduced.emplace(backend, sizeof(double), 1);

  GaussianNllCall call;
  call.reduction = config.reduction;
  call.dtype = dtype;
  call.mu = mu.data();
  call.target = target.data();
  call.var = var.data();
  call.grad_mu = !config.grad_mu ? nullptr : config.in_place ? mu.data() : grad_mu->data();
  call.grad_var = !config.grad_var ? nullptr : config.in_place ? var.data() : grad_var->data();
  call.elementwise_loss = elementwise ? elementwise->data() : nullptr;
  call.reduced_loss = reduced ? reduced->as<double>() : nullptr;
  call.n = n;
  call.eps = config.eps;
  call.full = config.full;
  call.grad_scale = config.grad_scale;
  BackendBuffer workspace(backend, gaussian_nll_workspace_size(call.n, call.reduction, backend));
  workspace.fill_bytes(0);
  target.upload(inputs.target.data(), inputs.target.size());

  const auto run = [&]() {
    // The inputs an in-place gradient overwrites, fresh each run; their
    // guards are then checked as an output's.
    mu.poison();
    mu.upload(inputs.mu.data(), inputs.mu.size());
    var.poison();
    var.upload(inputs.var.data(), inputs.var.size());
    if (grad_mu) grad_mu->poison();
    if (grad_var) grad_var->poison();
    if (elementwise) elementwise->poison();
    if (reduced) reduced->poison();
    gaussian_nll(call, backend, workspace.data(), workspace.size());
    RunOutputs out;
    if (config.grad_mu) out.grad_mu = (config.in_place ? mu : *grad_mu).download();
    if (config.grad_var) out.grad_var = (config.in_place ? var : *grad_var).download();
    if (elementwise) out.elementwise_loss = elementwise->download();
    if (reduced) out.reduced_loss = reduced->download();
    return out;
  };
  const RunOutputs first = run();
  const RunOutputs second = run();

  const std::vector<double> mu_values = load_all(inputs.mu, dtype);
  const std::vector<double> target_values = load_all(inputs.target, dtype);
  const std::vector<double> var_values = load_all(inputs.var, dtype);
  const reference::GaussianNllOptions options{config.eps, config.full};
  const double multiplier = gradient_multiplier(config.reduction, n, config.grad_scale);

  MismatchLog& log = result.log;
  log.check_guards("grad_mu", first.grad_mu.guards_intact);
  log.check_guards("grad_var", first.grad_var.guards_intact);
  log.check_guards("the per-element loss", first.elementwise_loss.guards_intact);
  log.check_guards("the reduced loss", first.reduced_loss.guards_intact);
  double sum_of_loss_bounds = 0.0;
  double sum_of_abs_losses = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const GaussianNllBoundInput input{mu_values[k], target_values[k], var_values[k], config.eps, config.full};
    const reference::GaussianNllElement ref =
        reference::gaussian_nll(mu_values[k], target_values[k], var_values[k], options);
    const auto inputs_of_i = [&] {
      std::ostringstream s;
      s.precision(9);
      s << "mu = " << input.mean << ", y = " << input.target << ", var = " << input.var;
      return s.str();
    };
    const auto check = [&](const char* output, const GuardedContents& got, double value, double float_bound,
                           double scale) {
      const double bound = gaussian_nll_output_error_bound(float_bound, value, scale, dtype);
      log.check(output, i, load_as_double(got.payload.data(), dtype, k), expected_in(dtype, value * scale), bound,
                inputs_of_i);
    };
    if (config.grad_mu) {
      check("grad_mu", first.grad_mu, ref.grad_mean, gaussian_nll_grad_mean_error_bound(input, ref.grad_mean),
            multiplier);
    }
    if (config.grad_var) {
      check("grad_var", first.grad_var, ref.grad_var, gaussian_nll_grad_var_error_bound(input, ref.grad_var),
            multiplier);
    }
    const double loss_bound = gaussian_nll_loss_error_bound(input, ref.loss);
    if (writes_elementwise) check("loss", first.elementwise_loss, ref.loss, loss_bound, 1.0);
    sum_of_loss_bounds += loss_bound;
    sum_of_abs_losses += std::fabs(ref.loss);
  }
  if (reduces) {
    const reference::GaussianNllResult ref =
        reference::gaussian_nll(mu_values, target_values, var_values, options, config.reduction);
    const double bound =
        gaussian_nll_reduced_loss_error_bound(sum_of_loss_bounds, sum_of_abs_losses, n, config.reduction);
    log.check("reduced loss", 0, load_double(first.reduced_loss.payload), *ref.reduced_loss, bound, [&] {
      return std::string(to_string(config.reduction)) + " of " + std::to_string(n) + " elements";
    });
  }
  log.check_same_bits("grad_mu", first.grad_mu.payload, second.grad_mu.payload);
  log.check_same_bits("grad_var", first.grad_var.payload, second.grad_var.payload);
  log.check_same_bits("the per-element loss", first.elementwise_loss.payload, second.elementwise_loss.payload);
  log.check_same_bits("the reduced loss", first.reduced_loss.payload, second.reduced_loss.payload);
  return result;
}

}  // namespace lossbench
