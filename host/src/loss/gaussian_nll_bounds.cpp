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

double gaussian_nll_output_error_bound(double float_bound, double ref, double multiplier, DType dtype) {
  const double scaled = std::fabs(multiplier * ref);
  const double scaling = multiplier == 1.0 ? 0.0 : float_gamma(2.0) * scaled + kFloatMathUnderflow;
  return std::fabs(multiplier) * float_bound + scaling + output_rounding(dtype) * scaled + output_underflow(dtype);
}

double gaussian_nll_reduced_loss_error_bound(double sum_of_loss_bounds, double sum_of_abs_losses, std::int64_t n,
                                             Reduction reduction) {
  const double sums = float_gamma(kGaussianNllFloatSumDepth) + static_cast<double>(n) * 0x1p-53;
  return (sum_of_loss_bounds + sums * sum_of_abs_losses) * reduction_multiplier(reduction, n);
}

}  // namespace lossbench
