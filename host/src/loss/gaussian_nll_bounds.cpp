#include "lossbench/loss/gaussian_nll_bounds.hpp"

#include <cmath>

#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/loss/softmax_bounds.hpp"

namespace lossbench {

namespace {

double clamped_var(const GaussianNllBoundInput& e) { return std::fmax(e.var, e.eps); }
double squared_residual(const GaussianNllBoundInput& e) { return (e.target - e.mean) * (e.target - e.mean); }

}  // namespace

double gaussian_nll_loss_error_bound(const GaussianNllBoundInput& e, double loss_ref) {
  const double v = clamped_var(e);
  return float_gamma(1.5) * std::fabs(std::log(v)) + float_gamma(3.0) * squared_residual(e) / v +
         float_gamma(1.0) * (std::fabs(loss_ref) + (e.full ? 1.0 : 0.0)) + kFloatMathUnderflow;
}

double gaussian_nll_grad_mean_error_bound(const GaussianNllBoundInput&, double grad_ref) {
  return float_gamma(3.0) * std::fabs(grad_ref) + kFloatMathUnderflow;
}

double gaussian_nll_grad_var_error_bound(const GaussianNllBoundInput& e, double grad_ref) {
  const double v = clamped_var(e);
  return float_gamma(2.5) * squared_residual(e) / (v * v) + float_gamma(3.0) * std::fabs(grad_ref) +
         kFloatMathUnderflow;
}

}  // namespace lossbench
