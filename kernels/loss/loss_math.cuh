#pragma once
// The per-element math of every loss, in float32, for the GPU and the CPU
// alike (__host__ __device__): the fused kernels call it on the device, the
// emulator and the tests call it on the host. The double-precision reference
// (host/include/lossbench/reference/fused_loss_reference.hpp) is the yardstick it is checked against.
//
// Notation (from the seed): z is the logit, a = σ(z), y the target in [0, 1],
// ℓ the loss of one element. With e = exp(−|z|), one exponential gives both
// σ(|z|) = 1/(1 + e) and σ(−|z|) = e/(1 + e), and BCE's log1p(e) term.
//
//   mse: ℓ = ½(y − a)²                         dℓ/dz = (a − y)·a(1 − a)
//   mse, identity activation (a = z): ℓ = ½(z − y)²   dℓ/dz = z − y
//   bce: ℓ = −[p·y ln a + (1 − y) ln(1 − a)]   dℓ/dz = w·a − p·y,  w = 1 + (p − 1)·y
//        (p is PyTorch's pos_weight; p = 1 gives the plain cross-entropy,
//        whose gradient is a − y: σ' cancels.)
//
// Accuracy: nothing here cancels catastrophically except a − y itself when
// y ≈ a, which no formula can avoid. a − y (w·a − p·y for bce) is formed
// from the smaller of its two pairs of terms whose subtraction is exact where
// it can be (weighted_sigmoid_minus_target below): the error is then a few
// ulps of the terms subtracted, the s_i of fused_loss_bounds.hpp.
// For |z| = inf the loss is the limit where it exists (0 when the target
// agrees exactly, +inf otherwise), never inf − inf = NaN.
#include "kernels/common/cuda_compat.cuh"
#include "kernels/common/product_zero_wins.cuh"

namespace lossbench::kernels {

/// σ(z) and σ(−z) = 1 − σ(z), each to full relative precision, and e = exp(−|z|).
struct SigmoidPair {
  float a;
  float one_minus_a;
  float e;
};

__host__ __device__ __forceinline__ SigmoidPair sigmoid_pair(float z) {
  const float e = expf(-fabsf(z));   // in (0, 1]: never overflows
  const float r = 1.0f / (1.0f + e);  // σ(|z|)
  const float s = e * r;              // σ(−|z|)
  return z >= 0.0f ? SigmoidPair{r, s, e} : SigmoidPair{s, r, e};
}

/// ½ − σ(−|z|) = ½·tanh(|z|/2) ≥ 0, to a few ulps of itself: from the pair's
/// small sigmoid where that is ≤ σ(−1) (the subtraction then loses nothing),
/// else from expm1, since ½ − σ(−|z|) ≈ |z|/4 would keep only the absolute
/// precision of σ(−|z|) ≈ ½.
__host__ __device__ __forceinline__ float half_minus_small_sigmoid(float z, const SigmoidPair& s) {
  const float t = fabsf(z);
  if (t >= 1.0f) return 0.5f - fminf(s.a, s.one_minus_a);
  const float m = expm1f(-t);  // e^{−|z|} − 1, in (−0.64, 0]
  return -0.5f * m / (2.0f + m);
}

/// w·a − p·y = (a − y) − (p − 1)·y·(1 − a), the bce gradient (a − y when
/// w = p = 1, as for mse), formed by where a and y lie against ½:
///  - both above (z ≥ 0, y ≥ ½): (1 − y) − w·σ(−z). 1 − y is exact
///    (Sterbenz) and σ(−z) ≤ ½ has full relative precision, so a saturated
///    neuron with y ≈ 1 gets its small difference to a few ulps of σ(−z);
///  - both below (z < 0, y ≤ ½): w·σ(z) − p·y, symmetrically;
///  - on opposite sides: a − y = ±((½ − y) ± (½ − σ(−|z|))), two terms of the
///    same sign, so nothing cancels and a − y has full relative precision
///    even where a ≈ y ≈ ½ (as 1 − y or σ(z) − y would not: at z = 0,
///    y = 0.49857 (1 − y) − σ(−z) was 2e-5 off, relatively).
/// NaN in z or y gives NaN.
__host__ __device__ __forceinline__ float weighted_sigmoid_minus_target(const SigmoidPair& s, float z, float y,
                                                                       float w, float p) {
  const bool a_high = z >= 0.0f;
  if (a_high && y >= 0.5f) return (1.0f - y) - w * s.one_minus_a;
  if (!a_high && y <= 0.5f) return w * s.a - p * y;
  const float h = half_minus_small_sigmoid(z, s);
  const float a_minus_y = a_high ? (0.5f - y) + h : -((y - 0.5f) + h);
  return p == 1.0f ? a_minus_y : a_minus_y - (p - 1.0f) * y * s.one_minus_a;
}

/// The loss of one element and its derivative with respect to the logit.
struct LossAndGrad {
  float loss;
  float grad;
};

/// Parameters that a loss may use; unused ones cost nothing.
struct LossParams {
  float pos_weight = 1.0f;  // bce only: weight p of the positive term
};

/// MSE on the sigmoid output, as the seed defines it.
struct MseLoss {
  __host__ __device__ __forceinline__ static LossAndGrad eval(float z, float y, const LossParams&) {
    const SigmoidPair s = sigmoid_pair(z);
    const float a_minus_y = weighted_sigmoid_minus_target(s, z, y, 1.0f, 1.0f);
    return {0.5f * a_minus_y * a_minus_y, a_minus_y * (s.a * s.one_minus_a)};
  }
};

/// MSE on the raw output (Activation::identity): a regression head. z − y of
/// two floats is correctly rounded, so the gradient is within half an ulp and
/// the loss within two: no cancellation term in its bound. The loss is
/// formed as (½d)·d so that it overflows to inf exactly where ½d² exceeds
/// FLT_MAX (|d| > 2.6e19), not where d² does.
struct IdentityMseLoss {
  __host__ __device__ __forceinline__ static LossAndGrad eval(float z, float y, const LossParams&) {
    const float d = z - y;
    return {(0.5f * d) * d, d};
  }
};

/// Binary cross-entropy from logits, with an optional pos_weight p:
///   z ≥ 0: ℓ = (1 − y)·z + w·log1p(e)
///   z < 0: ℓ = −p·y·z + w·log1p(e)
///   dℓ/dz = w·σ(z) − p·y = (1 − y) − w·σ(−z)
/// (equal to the textbook forms; the split keeps every product finite).
struct BceLoss {
  __host__ __device__ __forceinline__ static LossAndGrad eval(float z, float y, const LossParams& params) {
    const SigmoidPair s = sigmoid_pair(z);
    const float p = params.pos_weight;
    const float w = fmaf(p - 1.0f, y, 1.0f);
    const float softplus_tail = w * log1pf(s.e);
    const float linear = z >= 0.0f ? product_zero_wins(1.0f - y, z) : product_zero_wins(-p * y, z);
    return {linear + softplus_tail, weighted_sigmoid_minus_target(s, z, y, w, p)};
  }
};

}  // namespace lossbench::kernels
