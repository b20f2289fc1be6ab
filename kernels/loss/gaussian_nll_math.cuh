#pragma once
// The per-element math of the Gaussian negative log-likelihood, in float32,
// for the GPU and the CPU alike (__host__ __device__). The double-precision
// reference is host/include/lossbench/reference/gaussian_nll_reference.hpp;
// the promised accuracy, host/include/lossbench/loss/gaussian_nll_bounds.hpp.
//
// Notation: μ the prediction (PyTorch's `input`), y the target, var the
// predicted variance, r = y − μ, v = max(var, eps):
//   ℓ = ½(log v + r²/v)  (+ ½ log 2π with full)
//   ∂ℓ/∂μ = (μ − y)/v = −r/v
//   ∂ℓ/∂var = ½(1/v − r²/v²) = (v − r²)/(2v²), at v = max(var, eps), also where var < eps
//
// The clamp, as PyTorch 2.x does it (torch.nn.functional.gaussian_nll_loss:
// `var = var.clone(); with torch.no_grad(): var.clamp_(min=eps)`): the
// clamp is invisible to autograd, so the gradient with respect to var is the
// derivative of ℓ at the clamped value v, passed straight through, not 0 as
// a differentiated clamp would give. Below eps it is ½(1/eps − r²/eps²),
// which is large (5e5 at eps = 1e-6 and r = 0; −4.5e12 at var = 0, r = 3:
// the values tests/reference/test_host_reference_gaussian_nll.cpp pins from
// torch 2.15). With eps = 0 and var = 0, v = 0: the loss is NaN (log 0 + r²/0
// = −inf + inf, or NaN at r = 0), ∂ℓ/∂μ ±inf (NaN at r = 0) and ∂ℓ/∂var NaN,
// as PyTorch's float32 autograd gives. A negative var is an input error (PyTorch raises ValueError);
// this math does not check it. The reductions are PyTorch's: none, sum, and
// mean over all elements.
//
// Accuracy: r = y − μ is one rounding; log v + r²/v may cancel (log v < 0
// for v < 1), and so may v − r² in ∂ℓ/∂var: both inherent, so the bounds are
// relative to the size of the terms.
#include "kernels/common/cuda_compat.cuh"

namespace lossbench::kernels {

/// ½ log 2π, which `full` adds to every element's loss.
inline constexpr float kHalfLogTwoPi = 0.918938533204672742f;

struct GaussianNllParams {
  float eps = 1e-6f;  // the variance's floor (PyTorch's default)
  bool full = false;  // add ½ log 2π
};

struct GaussianNllResult {
  float loss;
  float grad_mean;  // ∂ℓ/∂μ
  float grad_var;   // ∂ℓ/∂var, straight through the clamp
};

__host__ __device__ __forceinline__ GaussianNllResult gaussian_nll(float mu, float y, float var,
                                                                  const GaussianNllParams& params) {
  // fmaxf would turn a NaN var into eps; torch's clamp keeps the NaN, so do we.
  const float v = var != var ? var : fmaxf(var, params.eps);
  const float r = y - mu;
  const float inv_v = 1.0f / v;
  const float r2_over_v = r * r * inv_v;
  float loss = 0.5f * (logf(v) + r2_over_v);
  if (params.full) loss += kHalfLogTwoPi;
  // ½(1/v − r²/v²) = ½(1 − r²/v)/v: the one subtraction is the inherent one.
  // At v = 0 (eps = 0 and var = 0) PyTorch's autograd adds ½/v = +inf to
  // −½r²/v² = −inf (or NaN at r = 0): NaN, where the factored form gives −inf.
  const float grad_var = v == 0.0f ? inv_v - inv_v : 0.5f * (1.0f - r2_over_v) * inv_v;
  return {loss, -r * inv_v, grad_var};
}

}  // namespace lossbench::kernels
