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
//   bce: ℓ = −[p·y ln a + (1 − y) ln(1 − a)]   dℓ/dz = w·a − p·y,  w = 1 + (p − 1)·y
//        (p is PyTorch's pos_weight; p = 1 gives the plain cross-entropy,
//        whose gradient is a − y: σ' cancels.)
//
// Accuracy: nothing here cancels catastrophically except a − y itself when
// y ≈ a, which no formula can avoid; a − y is formed as (1 − y) − σ(−z) for
// z ≥ 0 so that a saturated neuron with y = 1 gets the exact small difference.
// For |z| = inf the loss is the limit where it exists (0 when the target
// agrees exactly, +inf otherwise), never inf − inf = NaN.
#include "kernels/common/cuda_compat.cuh"

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

/// c·z, but 0 when c == 0 even for an infinite z: the term vanishes exactly
/// when the target agrees with the saturated output, and so does its limit.
__host__ __device__ __forceinline__ float product_zero_wins(float c, float z) { return c == 0.0f ? 0.0f : c * z; }

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
    const float a_minus_y = z >= 0.0f ? (1.0f - y) - s.one_minus_a : s.a - y;
    return {0.5f * a_minus_y * a_minus_y, a_minus_y * (s.a * s.one_minus_a)};
  }
};

/// Binary cross-entropy from logits, with an optional pos_weight p:
///   z ≥ 0: ℓ = (1 − y)·z + w·log1p(e),   dℓ/dz = (1 − y) − w·σ(−z)
///   z < 0: ℓ = −p·y·z + w·log1p(e),      dℓ/dz = w·σ(z) − p·y
/// (both equal the textbook forms; the split keeps every product finite).
struct BceLoss {
  __host__ __device__ __forceinline__ static LossAndGrad eval(float z, float y, const LossParams& params) {
    const SigmoidPair s = sigmoid_pair(z);
    const float p = params.pos_weight;
    const float w = fmaf(p - 1.0f, y, 1.0f);
    const float softplus_tail = w * log1pf(s.e);
    if (z >= 0.0f) return {product_zero_wins(1.0f - y, z) + softplus_tail, (1.0f - y) - w * s.one_minus_a};
    return {product_zero_wins(-p * y, z) + softplus_tail, w * s.a - p * y};
  }
};

}  // namespace lossbench::kernels
