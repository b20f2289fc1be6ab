#pragma once
// The double-precision reference of the Gaussian negative log-likelihood,
// PyTorch's torch.nn.functional.gaussian_nll_loss for a variance of the
// input's shape. μ the prediction, y the target, v = max(var, eps):
//   ℓ = ½(log v + (y − μ)²/v)  (+ ½ log 2π with full)
//   ∂ℓ/∂μ = (μ − y)/v,   ∂ℓ/∂var = ½(1/v − (y − μ)²/v²)
// The variance gradient is taken at the clamped v even where var < eps:
// PyTorch clamps under torch.no_grad(), so autograd never sees the clamp
// (kernels/loss/gaussian_nll_math.cuh has the details and the pinned values).
// Reductions: none, sum, mean over all elements; the gradient returned is
// that of the reduced loss (of the sum for none).
#include <optional>
#include <span>
#include <vector>

#include "lossbench/core/loss_kind.hpp"

namespace lossbench::reference {

struct GaussianNllOptions {
  double eps = 1e-6;  // the variance's floor, finite and >= 0
  bool full = false;  // add ½ log 2π
};

struct GaussianNllElement {
  double loss;
  double grad_mean;  // ∂ℓ/∂μ
  double grad_var;   // ∂ℓ/∂var, straight through the clamp
};

GaussianNllElement gaussian_nll(double mean, double target, double var, const GaussianNllOptions& options);

struct GaussianNllResult {
  std::optional<double> reduced_loss;  // empty for none
  std::vector<double> losses;          // per element, for none only
  std::vector<double> grad_mean;
  std::vector<double> grad_var;
};

/// mean, target and var of one length; a negative var is an InputError
/// naming its index (PyTorch raises ValueError), as is a bad eps.
GaussianNllResult gaussian_nll(std::span<const double> mean, std::span<const double> target,
                               std::span<const double> var, const GaussianNllOptions& options, Reduction reduction);

}  // namespace lossbench::reference
