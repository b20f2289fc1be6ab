#pragma once
// The error bounds of the float32 Gaussian NLL (kernels/loss/gaussian_nll_math.cuh)
// against the double-precision reference on the same float inputs, as code.
//
// u = 2^-24 and γ(n) as in softmax_bounds.hpp; logf within 1 ulp (2u).
// With r = y − μ (one rounding), r² (3u), t = r²/v through 1/v (5u):
//   loss  ½(log v + t) [+ ½ log 2π]: ½·2u·|log v| + ½·5u·t + ½u·|log v + t|
//         [+ u·½ log 2π, the rounded constant] + u·|ℓ|
//         ≤ γ(1.5)·|log v| + γ(3)·t + γ(1)·|ℓ_ref| + γ(1)·[full]
//   ∂ℓ/∂μ = −r·(1/v): γ(3)·|g_ref|
//   ∂ℓ/∂var = ½(1 − t)·(1/v): ½(5u·t + 3u·|1 − t|)/v
//         = γ(2.5)·r²/v² + γ(3)·|g_ref|   (the cancellation of 1 − t is inherent)
// plus f = kFloatMathUnderflow for subnormal intermediates. Valid while r²/v
// and r²/v² stay below float's overflow (|y − μ| ≤ 1e4 with v ≥ 1e-6 does).
namespace lossbench {

struct GaussianNllBoundInput {
  double mean;
  double target;
  double var;
  double eps;
  bool full;
};

double gaussian_nll_loss_error_bound(const GaussianNllBoundInput& e, double loss_ref);
double gaussian_nll_grad_mean_error_bound(const GaussianNllBoundInput& e, double grad_ref);
double gaussian_nll_grad_var_error_bound(const GaussianNllBoundInput& e, double grad_ref);

}  // namespace lossbench
