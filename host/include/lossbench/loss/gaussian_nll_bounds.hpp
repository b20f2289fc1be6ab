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
//
// What a kernel (emu, cuda, cpu) writes adds to these:
//   a gradient times m (grad_scale, ÷ n for mean): m is rounded to float
//     once per call and the product once per element, γ(2)·|m·g_ref|, on
//     top of |m| times the element's bound;
//   the rounding to the output dtype, u_out·|x_ref| + t_out
//     (fused_loss_bounds.hpp's output_rounding and output_underflow).
// The reduced loss: the element losses' bounds add up, and so do the errors
// of the float32 sums before double, at most kGaussianNllFloatSumDepth
// deep: γ(32)·Σ|ℓ_i|, plus the double sums, below n·2^-53·Σ|ℓ_i|. Relative
// to Σ|ℓ_i|, not to |C|: the losses have both signs (log v < 0 for v < 1),
// so C itself may cancel.
#include <cstdint>

#include "lossbench/core/dtype.hpp"
#include "lossbench/core/loss_kind.hpp"

namespace lossbench {

/// The deepest float32 sum of element losses before double: on the GPU 16
/// elements a thread, then cub's block sum of a tile (a 5-level warp tree,
/// then 8 warps added in turn: 27); on the cpu runs of 16 vectors a lane.
inline constexpr double kGaussianNllFloatSumDepth = 32;

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

/// A kernel's output element: `float_bound`, one of the bounds above for
/// the unscaled value `ref`, for the value times `multiplier` (1 for the
/// loss), rounded once to `dtype`.
double gaussian_nll_output_error_bound(double float_bound, double ref, double multiplier, DType dtype);

/// A kernel's reduced loss of n elements, from the sum of the element
/// losses' bounds and Σ|ℓ_i| (of the reference's losses).
double gaussian_nll_reduced_loss_error_bound(double sum_of_loss_bounds, double sum_of_abs_losses, std::int64_t n,
                                             Reduction reduction);

}  // namespace lossbench
