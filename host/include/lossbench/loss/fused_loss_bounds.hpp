#pragma once
// The error bounds that the fused kernels promise, as code: verify and the
// tests use these functions, so the documented bound is the checked bound.
//
// Every bound compares a kernel's output with the double-precision reference
// applied to the same (already rounded) inputs.
//
// Gradient, element i, with m = grad_scale (÷ n for mean):
//   |g − g_ref| ≤ r_math·(|g_ref| + s_i) + u_out·|g_ref| + t_out + f·(1 + |m|·P)
//   r_math = 1e-6       float32 math: a few ulps of every operation (2^-24 ≈ 6e-8 each)
//   s_i    = |m|·k·S   S the size of the terms whose difference forms w·a − p·y
//            (loss_math.cuh's weighted_sigmoid_minus_target; k = σ'(z) for mse,
//            1 for bce; w = 1 + (p − 1)·y and p = pos_weight for bce, w = p = 1
//            for mse): S = (1 − y) + w·(1 − a) when z ≥ 0 and y ≥ ½,
//            w·a + p·y when z < 0 and y ≤ ½, and |a − y| + |p − 1|·y·(1 − a)
//            when a and y lie on opposite sides of ½ (then a − y itself has
//            no cancellation: for p = 1 the bound is relative to the gradient).
//            When a ≈ y the difference cancels, and no float32 formula can
//            then be more accurate than the terms it subtracts. Measured over
//            a dense (z, y) sweep (test_host_loss_math_sweep): at most 1.6
//            (bce) and 3.9 (mse) ulps of |g_ref| + S/|m|, 0.23 of this bound;
//            r_math keeps 4× more for the GPU's and Highway's exp/log1p.
//   u_out  = 0 (f32), 2^-11 (f16), 2^-8 (bf16): one rounding to the output type
//   t_out  = half the smallest subnormal of the output type (absolute rounding floor)
//   f      = 2^-146, eight of float32's smallest subnormals: where a float32
//            intermediate underflows (e^{−|z|} below 2^-126 for |z| > 87)
//            it keeps only an absolute precision of 2^-150; P = max(1, p).
// Per-element loss (reduction none): the same form, with f·(1 + P), and
// s_i = |a − y|·(1 + |y|) for mse (½(a − y)² inherits the cancellation of
// a − y) and 0 for bce (a sum of non-negative terms).
// mse with activation identity: s_i = 0 for both, since z − y of two floats
// is correctly rounded (the gradient is within ½ ulp, ½(z − y)² within 2).
// A weight w (fused_loss.hpp) multiplies the float result once more: the
// bound of the unweighted value times |w|, plus r_math·|w·value| and t_out.
// The reduced loss of weights of either sign is bounded relative to the
// reduction of |w_i·ℓ_i| (its terms may cancel), with f·P·max|w| per element.
// A reference beyond the output type's range is compared as the infinity it
// rounds to (expected_output): ½(z − y)² of two f16 values of 300 is 9e4,
// inf in f16, and inf is then the right answer.
// Reduced loss: |C − C_ref| ≤ 1e-5·|C_ref| + n·f·P·q (q = 1 for sum, 1/n for
// mean) for n up to 2^31: float32 sums of 16 elements per thread, a float
// tree over 256 threads per 4096-element tile, then double across tiles;
// every term is non-negative, so nothing cancels. The absolute term covers
// per-element losses that underflow float32 (e.g. 1e-231 computed as 0).
//
// Equal values (including equal infinities) always pass; a NaN never does
// unless the reference is NaN too.
#include <cstdint>

#include "lossbench/core/dtype.hpp"
#include "lossbench/core/loss_kind.hpp"

namespace lossbench {

inline constexpr double kGradMathRelativeBound = 1e-6;
inline constexpr double kReducedLossRelativeBound = 1e-5;
/// f: the absolute error floor of float32 math whose intermediates underflow.
inline constexpr double kFloatMathUnderflow = 0x1p-146;

/// u_out: the relative error of one rounding to `dtype` (0 for f32, whose rounding is within r_math).
double output_rounding(DType dtype);
/// t_out: half the smallest positive subnormal of `dtype`.
double output_underflow(DType dtype);

/// What the bound of one element needs to know.
struct ElementBoundInput {
  Loss loss;
  DType dtype;
  double z;
  double y;
  double pos_weight;
  double grad_multiplier;  // grad_scale, divided by n for mean
  Activation activation = Activation::sigmoid;
  double weight = 1.0;  // w of the element (1 without weights)
};

/// What an output of `dtype` should hold for the exact value `ref`: ref, or
/// ±inf where ref rounds to infinity in `dtype` (|ref| at or beyond the
/// largest finite value plus half an ulp).
double expected_output(DType dtype, double ref);

/// The largest allowed |g − g_ref| for element i.
double grad_error_bound(const ElementBoundInput& e, double grad_ref);
/// The largest allowed |ℓ − ℓ_ref| for the per-element loss of element i.
double elementwise_loss_error_bound(const ElementBoundInput& e, double loss_ref);
/// The largest allowed |C − C_ref| for the reduced loss of n elements.
/// `magnitude` is |C_ref|, or with weights the same reduction of |w_i·ℓ_i|;
/// pos_weight and max_weight the largest p and |w| of any element.
double reduced_loss_error_bound(double magnitude, std::int64_t n, Reduction reduction, double pos_weight,
                                double max_weight = 1.0);

/// |got − ref| / bound, with 0 when got == ref (equal infinities included),
/// and +inf when either is NaN but not both, or the bound is exceeded by an
/// infinite amount. A value <= 1 passes.
double error_in_bound_units(double got, double ref, double bound);

}  // namespace lossbench
