#include "lossbench/reference/gaussian_nll_reference.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "lossbench/core/error.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"

namespace lossbench::reference {

GaussianNllElement gaussian_nll(double mean, double target, double var, const GaussianNllOptions& options) {
  const double v = std::isnan(var) ? var : std::fmax(var, options.eps);
  const double r = target - mean;
  const double half_log_two_pi = 0.5 * std::log(2.0 * std::numbers::pi);
  const double loss = 0.5 * (std::log(v) + r * r / v) + (options.full ? half_log_two_pi : 0.0);
  return {loss, (mean - target) / v, 0.5 * (1.0 / v - r * r / (v * v))};
}

GaussianNllResult gaussian_nll(std::span<const double> mean, std::span<const double> target,
                               std::span<const double> var, const GaussianNllOptions& options, Reduction reduction) {
  if (target.size() != mean.size() || var.size() != mean.size()) {
    throw InputError("gaussian_nll: mean, target and var have " + std::to_string(mean.size()) + ", " +
                     std::to_string(target.size()) + " and " + std::to_string(var.size()) +
                     " elements: they must match");
  }
  if (!(options.eps >= 0.0) || std::isinf(options.eps)) {
    throw InputError("gaussian_nll: eps must be finite and >= 0, got " + std::to_string(options.eps));
  }
  for (std::size_t i = 0; i < var.size(); ++i) {
    if (var[i] < 0.0) {
      throw InputError("var[" + std::to_string(i) + "] = " + std::to_string(var[i]) + " is negative");
    }
  }
  const auto n = static_cast<std::int64_t>(mean.size());
  const double grad_multiplier = gradient_multiplier(reduction, n, 1.0);
  GaussianNllResult result;
  std::vector<double> losses;
  for (std::size_t i = 0; i < mean.size(); ++i) {
    const GaussianNllElement e = gaussian_nll(mean[i], target[i], var[i], options);
    losses.push_back(e.loss);
    result.grad_mean.push_back(e.grad_mean * grad_multiplier);
    result.grad_var.push_back(e.grad_var * grad_multiplier);
  }
  if (reduction == Reduction::none) {
    result.losses = std::move(losses);
  } else {
    result.reduced_loss = compensated_sum(losses) * reduction_multiplier(reduction, n);
  }
  return result;
}

}  // namespace lossbench::reference
