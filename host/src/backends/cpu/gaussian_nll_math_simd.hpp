// The per-element math of kernels/loss/gaussian_nll_math.cuh on Highway
// vectors: the same operations in the same order (the divide and multiplies
// are IEEE, so they round as the scalar code does), with Highway's Log
// (hwy/contrib/math, documented within 4 ulps; measured within 0.95 ulp
// over every positive normal float32 on AVX-512 and SSSE3) in place of
// logf. So both gradients have the scalar code's bits, and the loss differs
// from it only where Log and logf round log v differently (~0.6 % of
// inputs, by one ulp of log v), which the bounds of gaussian_nll_bounds.hpp
// (logf within 1 ulp) still cover.
//
// Included once per Highway target from inside HWY_NAMESPACE (foreach_target.h
// re-includes the file that includes it), hence the per-target guard.
#if defined(LOSSBENCH_GAUSSIAN_NLL_MATH_SIMD_HPP) == defined(HWY_TARGET_TOGGLE)
#ifdef LOSSBENCH_GAUSSIAN_NLL_MATH_SIMD_HPP
#undef LOSSBENCH_GAUSSIAN_NLL_MATH_SIMD_HPP
#else
#define LOSSBENCH_GAUSSIAN_NLL_MATH_SIMD_HPP
#endif

#include <limits>

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"
#include "kernels/loss/gaussian_nll_math.cuh"

HWY_BEFORE_NAMESPACE();
namespace lossbench::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class D>
struct GaussianNllVectors {
  hn::Vec<D> loss;
  hn::Vec<D> grad_mean;  // ∂ℓ/∂μ
  hn::Vec<D> grad_var;   // ∂ℓ/∂var, straight through the clamp
};

/// log v for v = max(var, eps) >= 0. Highway's Log is valid on (0, FLT_MAX]
/// only (it returns about −105 at 0 and 88.7 at +inf), so the ends are
/// logf's: −inf at 0 (eps = 0 and var = 0) and +inf at +inf. A NaN v makes
/// the loss NaN through r²/v whatever this returns.
template <class D>
HWY_INLINE hn::Vec<D> LogOfClampedVar(D d, hn::Vec<D> v) {
  const auto inf = hn::Set(d, std::numeric_limits<float>::infinity());
  const auto log = hn::Log(d, v);
  return hn::IfThenElse(hn::Eq(v, hn::Zero(d)), hn::Neg(inf), hn::IfThenElse(hn::Eq(v, inf), inf, log));
}

/// kernels::gaussian_nll, lane by lane.
template <class D>
HWY_INLINE GaussianNllVectors<D> GaussianNllEval(D d, hn::Vec<D> mu, hn::Vec<D> y, hn::Vec<D> var,
                                                 const kernels::GaussianNllParams& params) {
  // Max alone would not keep a NaN var (torch's clamp does).
  const auto v = hn::IfThenElse(hn::IsNaN(var), var, hn::Max(var, hn::Set(d, params.eps)));
  const auto r = hn::Sub(y, mu);
  const auto half = hn::Set(d, 0.5f);
  const auto one = hn::Set(d, 1.0f);
  const auto inv_v = hn::Div(one, v);
  const auto r2_over_v = hn::Mul(hn::Mul(r, r), inv_v);
  auto loss = hn::Mul(half, hn::Add(LogOfClampedVar(d, v), r2_over_v));
  if (params.full) loss = hn::Add(loss, hn::Set(d, kernels::kHalfLogTwoPi));
  const auto grad_var = hn::IfThenElse(hn::Eq(v, hn::Zero(d)), hn::Sub(inv_v, inv_v),  // v = 0: ∞ − ∞, as the scalar code
                                       hn::Mul(hn::Mul(half, hn::Sub(one, r2_over_v)), inv_v));
  return {loss, hn::Mul(hn::Neg(r), inv_v), grad_var};
}

}  // namespace lossbench::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target guard
