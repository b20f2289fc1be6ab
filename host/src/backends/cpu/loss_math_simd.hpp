// The per-element math of kernels/loss/loss_math.cuh on Highway vectors:
// the same formulas, branch for branch (each branch becomes a lane select),
// with Highway's Exp, Expm1 and Log1p (hwy/contrib/math, within 1, 4 and 2
// ulps) in place of expf, expm1f and log1pf. A test pins it against
// loss_math.cuh element by element (tests/loss/test_host_cpu_loss_math.cpp).
//
// Included once per Highway target from inside HWY_NAMESPACE (foreach_target.h
// re-includes the file that includes it), hence the per-target guard.
#if defined(LOSSBENCH_LOSS_MATH_SIMD_HPP) == defined(HWY_TARGET_TOGGLE)
#ifdef LOSSBENCH_LOSS_MATH_SIMD_HPP
#undef LOSSBENCH_LOSS_MATH_SIMD_HPP
#else
#define LOSSBENCH_LOSS_MATH_SIMD_HPP
#endif

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace lossbench::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class D>
struct LossVectors {
  hn::Vec<D> loss;
  hn::Vec<D> grad;
};

/// sigmoid_pair: σ(z), σ(−z) and e = exp(−|z|). Highway's Exp returns 0 for
/// a NaN argument, so a NaN z is carried into e explicitly.
template <class D>
struct SigmoidPairV {
  hn::Vec<D> a;
  hn::Vec<D> one_minus_a;
  hn::Vec<D> e;
};

template <class D>
HWY_INLINE SigmoidPairV<D> SigmoidPairOf(D d, hn::Vec<D> z) {
  const auto one = hn::Set(d, 1.0f);
  const auto exp = hn::Exp(d, hn::Neg(hn::Abs(z)));
  const auto e = hn::IfThenElse(hn::IsNaN(z), z, exp);
  const auto r = hn::Div(one, hn::Add(one, e));  // σ(|z|)
  const auto s = hn::Mul(e, r);                 // σ(−|z|)
  const auto z_nonneg = hn::Ge(z, hn::Zero(d));
  return {hn::IfThenElse(z_nonneg, r, s), hn::IfThenElse(z_nonneg, s, r), e};
}

/// product_zero_wins: c·z, but 0 where c == 0 (even for an infinite z).
template <class D>
HWY_INLINE hn::Vec<D> ProductZeroWins(D d, hn::Vec<D> c, hn::Vec<D> z) {
  return hn::IfThenZeroElse(hn::Eq(c, hn::Zero(d)), hn::Mul(c, z));
}

/// half_minus_small_sigmoid: ½ − σ(−|z|), from expm1 below |z| = 1. Expm1
/// is evaluated only when some lane needs it.
template <class D>
HWY_INLINE hn::Vec<D> HalfMinusSmallSigmoid(D d, hn::Vec<D> z, const SigmoidPairV<D>& s, hn::Mask<D> needed) {
  const auto half = hn::Set(d, 0.5f);
  const auto t = hn::Abs(z);
  const auto from_sigmoid = hn::Sub(half, hn::Min(s.a, s.one_minus_a));
  const auto small = hn::And(needed, hn::Lt(t, hn::Set(d, 1.0f)));
  if (hn::AllFalse(d, small)) return from_sigmoid;
  const auto m = hn::Expm1(d, hn::Neg(t));
  const auto from_expm1 = hn::Div(hn::Mul(hn::Set(d, -0.5f), m), hn::Add(hn::Set(d, 2.0f), m));
  return hn::IfThenElse(small, from_expm1, from_sigmoid);
}

/// weighted_sigmoid_minus_target: w·a − p·y by where a and y lie against ½.
/// With p = 1 (mse, plain bce) the caller passes unit_p so the opposite-side
/// lanes skip the (p − 1) term exactly as the scalar code does.
template <class D>
HWY_INLINE hn::Vec<D> WeightedSigmoidMinusTarget(D d, const SigmoidPairV<D>& s, hn::Vec<D> z, hn::Vec<D> y,
                                                 hn::Vec<D> w, hn::Vec<D> p, bool unit_p) {
  const auto half = hn::Set(d, 0.5f);
  const auto one = hn::Set(d, 1.0f);
  const auto a_high = hn::Ge(z, hn::Zero(d));
  const auto both_high = hn::And(a_high, hn::Ge(y, half));
  const auto both_low = hn::AndNot(a_high, hn::Le(y, half));
  const auto high_form = hn::Sub(hn::Sub(one, y), hn::Mul(w, s.one_minus_a));
  const auto low_form = hn::Sub(hn::Mul(w, s.a), hn::Mul(p, y));
  const auto same_side = hn::Or(both_high, both_low);
  const auto same = hn::IfThenElse(both_high, high_form, low_form);
  if (hn::AllTrue(d, same_side)) return same;
  const auto h = HalfMinusSmallSigmoid(d, z, s, hn::Not(same_side));
  const auto a_minus_y = hn::IfThenElse(a_high, hn::Add(hn::Sub(half, y), h), hn::Neg(hn::Add(hn::Sub(y, half), h)));
  const auto opposite =
      unit_p ? a_minus_y : hn::Sub(a_minus_y, hn::Mul(hn::Mul(hn::Sub(p, one), y), s.one_minus_a));
  return hn::IfThenElse(same_side, same, opposite);
}

/// MseLoss::eval.
template <class D>
HWY_INLINE LossVectors<D> MseEval(D d, hn::Vec<D> z, hn::Vec<D> y) {
  const SigmoidPairV<D> s = SigmoidPairOf(d, z);
  const auto one = hn::Set(d, 1.0f);
  const auto a_minus_y = WeightedSigmoidMinusTarget(d, s, z, y, one, one, true);
  return {hn::Mul(hn::Mul(hn::Set(d, 0.5f), a_minus_y), a_minus_y), hn::Mul(a_minus_y, hn::Mul(s.a, s.one_minus_a))};
}

/// IdentityMseLoss::eval: d = z − y, ℓ = (½d)·d, dℓ/dz = d.
template <class D>
HWY_INLINE LossVectors<D> IdentityMseEval(D d, hn::Vec<D> z, hn::Vec<D> y) {
  const auto diff = hn::Sub(z, y);
  return {hn::Mul(hn::Mul(hn::Set(d, 0.5f), diff), diff), diff};
}

/// BceLoss::eval with a pos_weight p per lane; unit_p: every lane's p is 1
/// (the scalar code's p == 1 branch; lanes with p = 1 give the same value
/// either way, the (p − 1) term being exactly 0 there).
template <class D>
HWY_INLINE LossVectors<D> BceEval(D d, hn::Vec<D> z, hn::Vec<D> y, hn::Vec<D> p, bool unit_p) {
  const SigmoidPairV<D> s = SigmoidPairOf(d, z);
  const auto one = hn::Set(d, 1.0f);
  const auto w = hn::MulAdd(hn::Sub(p, one), y, one);
  const auto softplus_tail = hn::Mul(w, hn::Log1p(d, s.e));
  const auto linear = hn::IfThenElse(hn::Ge(z, hn::Zero(d)), ProductZeroWins(d, hn::Sub(one, y), z),
                                     ProductZeroWins(d, hn::Neg(hn::Mul(p, y)), z));
  return {hn::Add(linear, softplus_tail), WeightedSigmoidMinusTarget(d, s, z, y, w, p, unit_p)};
}

/// BceLoss::eval, one pos_weight p for every lane.
template <class D>
HWY_INLINE LossVectors<D> BceEval(D d, hn::Vec<D> z, hn::Vec<D> y, float pos_weight) {
  return BceEval(d, z, y, hn::Set(d, pos_weight), pos_weight == 1.0f);
}

}  // namespace lossbench::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target guard
