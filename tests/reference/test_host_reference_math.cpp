// The per-element mathematics of the CPU reference: sigmoid, σ', MSE and BCE
// with their gradients. Each expectation comes from somewhere other than the
// function under test: a closed form, the long-double oracle in
// reference_oracle.hpp, a finite difference, or a known limit.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "lossbench/core/array_view.hpp"
#include "lossbench/core/dtype.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/core/loss_kind.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"
#include "reference_oracle.hpp"

namespace lossbench {
namespace {

namespace ref = reference;
using test::kEps;
using test::kSeeds;
using test::within;
using test::within_rel;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kPointsPerSeed = 4000;

// ---------------------------------------------------------------------------
// Closed-form values
// ---------------------------------------------------------------------------

TEST(HostReferenceMath, SigmoidAndDerivativeAtZero) {
  EXPECT_EQ(ref::sigmoid(0.0), 0.5);
  EXPECT_EQ(ref::sigmoid_derivative(0.0), 0.25);
}

TEST(HostReferenceMath, BceAtZeroLogit) {
  // a = ½ for every y, so ℓ = −[y ln ½ + (1 − y) ln ½] = ln 2 and dℓ/dz = ½ − y.
  for (const double y : {1.0, 0.0, 0.5}) {
    SCOPED_TRACE(test::point(0, 0.0, y));
    const ref::LossAndGrad r = ref::bce_with_logits(0.0, y);
    EXPECT_TRUE(within_rel("bce loss", r.loss, std::log(2.0L), 2 * kEps));
    EXPECT_EQ(r.grad, 0.5 - y) << "dℓ/dz at z = 0 must be ½ − y";
  }
  EXPECT_EQ(ref::bce_with_logits(0.0, 1.0).grad, -0.5);
}

TEST(HostReferenceMath, MseAtZeroLogit) {
  // a = ½, σ' = ¼: ℓ = ½(½ − y)², dℓ/dz = (½ − y)·¼. All exact in binary.
  EXPECT_EQ(ref::mse(0.0, 1.0).loss, 0.125);
  EXPECT_EQ(ref::mse(0.0, 1.0).grad, -0.125);
  EXPECT_EQ(ref::mse(0.0, 0.0).loss, 0.125);
  EXPECT_EQ(ref::mse(0.0, 0.0).grad, 0.125);
  EXPECT_EQ(ref::mse(0.0, 0.5).loss, 0.0) << "soft label equal to a: no loss";
  EXPECT_EQ(ref::mse(0.0, 0.5).grad, 0.0);
  EXPECT_EQ(ref::mse(0.0, 0.75).loss, 0.5 * 0.0625);
  EXPECT_EQ(ref::mse(0.0, 0.75).grad, -0.0625);
}

TEST(HostReferenceMath, ThreeQuarterPoint) {
  // z = ln 3 gives a = 3/4 and σ' = 3/16; z = −ln 3 gives a = 1/4.
  const double z = std::log(3.0);
  EXPECT_TRUE(within_rel("σ(ln 3)", ref::sigmoid(z), 0.75L, 4 * kEps));
  EXPECT_TRUE(within_rel("σ'(ln 3)", ref::sigmoid_derivative(z), 0.1875L, 8 * kEps));
  // BCE, y = 1: ℓ = −ln ¾ = ln(4/3), dℓ/dz = −¼.
  EXPECT_TRUE(within_rel("bce(ln 3, 1)", ref::bce_with_logits(z, 1.0).loss, std::log(4.0L / 3.0L), 8 * kEps));
  EXPECT_TRUE(within_rel("bce'(ln 3, 1)", ref::bce_with_logits(z, 1.0).grad, -0.25L, 8 * kEps));
  // BCE, y = 0 at z = −ln 3: the mirror image, ℓ = ln(4/3), dℓ/dz = +¼.
  EXPECT_TRUE(
      within_rel("bce(−ln 3, 0)", ref::bce_with_logits(-z, 0.0).loss, std::log(4.0L / 3.0L), 8 * kEps));
  EXPECT_TRUE(within_rel("bce'(−ln 3, 0)", ref::bce_with_logits(-z, 0.0).grad, 0.25L, 8 * kEps));
  // MSE, y = 1: ℓ = ½(¼)² = 1/32, dℓ/dz = (−¼)(3/16) = −3/64.
  EXPECT_TRUE(within_rel("mse(ln 3, 1)", ref::mse(z, 1.0).loss, 1.0L / 32, 8 * kEps));
  EXPECT_TRUE(within_rel("mse'(ln 3, 1)", ref::mse(z, 1.0).grad, -3.0L / 64, 8 * kEps));
}

TEST(HostReferenceMath, ElementwiseDispatchesToTheNamedLoss) {
  const double z = 1.25;
  const double y = 0.3;
  EXPECT_EQ(ref::elementwise(Loss::mse, z, y).loss, ref::mse(z, y).loss);
  EXPECT_EQ(ref::elementwise(Loss::mse, z, y).grad, ref::mse(z, y).grad);
  EXPECT_EQ(ref::elementwise(Loss::bce, z, y).loss, ref::bce_with_logits(z, y).loss);
  EXPECT_EQ(ref::elementwise(Loss::bce, z, y).grad, ref::bce_with_logits(z, y).grad);
  // The two losses differ here, so a dispatch that swapped them would fail above.
  EXPECT_NE(ref::mse(z, y).loss, ref::bce_with_logits(z, y).loss);
  EXPECT_THROW(ref::elementwise(static_cast<Loss>(7), z, y), InputError);
}

// ---------------------------------------------------------------------------
// The seed's identities at random points
// ---------------------------------------------------------------------------

// Error model for d = a − y, used by the identity checks. Whatever the
// implementation does, a is a rounded quantity: the best it can do is carry
// a or 1 − a (whichever is smaller, min(a, 1 − a)) to a few ulps, and the
// difference itself rounds once. So |δd| ≤ 4ε·(|d| + min(a, 1 − a)). This is
// tight exactly where it matters: at z = 40, y = 1 it allows ~1e-33 around
// d = −4.2e-18, so computing σ(40) − 1 = 1 − 1 = 0 in double fails loudly.
long double a_minus_y_bound(double z, long double d) {
  return 4 * kEps * (std::fabs(d) + test::sigmoid_distance_to_saturation_ld(z));
}

TEST(HostReferenceMath, SigmoidMatchesLongDouble) {
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> far(-700.0, 700.0);
    for (int i = 0; i < kPointsPerSeed; ++i) {
      // Half the points in the usual range, half out to where e^z is near the
      // double range limit: σ(−700) ≈ 1e-304 must still be accurate, not 0.
      const double z = i % 2 == 0 ? test::draw_logit(rng) : far(rng);
      SCOPED_TRACE(test::point(seed, z, 0.0));
      ASSERT_TRUE(within_rel("σ(z)", ref::sigmoid(z), test::sigmoid_ld(z), 4 * kEps));
    }
  }
}

TEST(HostReferenceMath, SigmoidDerivativeIsSigmaTimesOneMinusSigma) {
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    for (int i = 0; i < kPointsPerSeed; ++i) {
      const double z = test::draw_logit(rng);
      SCOPED_TRACE(test::point(seed, z, 0.0));
      const double got = ref::sigmoid_derivative(z);
      // Against the cancellation-free closed form e^{−|z|}/(1 + e^{−|z|})²:
      // a few ulps relative, at every z.
      ASSERT_TRUE(within_rel("σ'(z) vs e^-|z|/(1+e^-|z|)^2", got, test::sigmoid_derivative_ld(z), 8 * kEps));
      // Against σ(1 − σ) formed in double from the reference's own σ. Here
      // 1 − a cancels when a → 1: a carries an absolute error up to ~2ε·a, and
      // the subtraction passes it on undiminished, so a(1 − a) is only good
      // to ~2ε·a² absolute (at z = 30 that is ~1e13 ulps of σ'). The bound is
      // therefore a few ulps of σ' plus that absolute term, not relative alone.
      const double a = ref::sigmoid(z);
      const double naive = a * (1.0 - a);
      ASSERT_TRUE(within("σ'(z) vs σ(1−σ) in double", got, naive, 4 * kEps * got + 2 * kEps * a * a));
    }
  }
}

TEST(HostReferenceMath, SigmoidDerivativeKeepsPrecisionWhereOneMinusSigmaCancels) {
  // In double σ(40) = 1 exactly, so σ(1 − σ) would be 0; the true σ'(40) is
  // e^{-40}/(1 + e^{-40})² ≈ 4.25e-18 and the reference must give it.
  for (const double z : {20.0, 40.0, 100.0, -40.0}) {
    SCOPED_TRACE(test::point(0, z, 0.0));
    EXPECT_TRUE(within_rel("σ'(z)", ref::sigmoid_derivative(z), test::sigmoid_derivative_ld(z), 8 * kEps));
  }
}

TEST(HostReferenceMath, BceGradientIsSigmoidMinusTarget) {
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    for (int i = 0; i < kPointsPerSeed; ++i) {
      const double z = test::draw_logit(rng);
      const double y = test::draw_target(rng);
      SCOPED_TRACE(test::point(seed, z, y));
      const long double d = test::sigmoid_minus_target_ld(z, y);
      ASSERT_TRUE(within("bce dℓ/dz vs a − y", ref::bce_with_logits(z, y).grad, d, a_minus_y_bound(z, d)));
    }
  }
}

TEST(HostReferenceMath, MseGradientIsErrorTimesSigmoidDerivative) {
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    for (int i = 0; i < kPointsPerSeed; ++i) {
      const double z = test::draw_logit(rng);
      const double y = test::draw_target(rng);
      SCOPED_TRACE(test::point(seed, z, y));
      const long double d = test::sigmoid_minus_target_ld(z, y);
      const long double s = test::sigmoid_derivative_ld(z);
      const ref::LossAndGrad r = ref::mse(z, y);
      // Loss ½d²: an error δd in d moves it by |d|·δd; the square and the
      // halving add a few ulps relative.
      const long double loss = 0.5L * d * d;
      ASSERT_TRUE(
          within("mse ℓ vs ½(a − y)²", r.loss, loss, std::fabs(d) * a_minus_y_bound(z, d) + 4 * kEps * loss));
      // Gradient d·σ': δd scaled by σ', plus a few ulps of the product.
      const long double grad = d * s;
      ASSERT_TRUE(within("mse dℓ/dz vs (a − y)σ'", r.grad, grad,
                         s * a_minus_y_bound(z, d) + 8 * kEps * std::fabs(grad)));
    }
  }
}

// ---------------------------------------------------------------------------
// Central finite differences
// ---------------------------------------------------------------------------

// The derivative of the reference's own loss must be the reference's own
// gradient. Central difference D = (f(z + h) − f(z − h)) / 2h, with
//   h = 1e-5·max(1, |z|): large enough that the rounding error of f, a few
//     ulps of |f| divided by 2h, stays ~1e-11·|f|; small enough that the
//     truncation error h²/6·|f'''| stays ~1e-11 of the scale of f'.
//   truncation bound: for BCE f''' = σ'' and |σ''| ≤ σ'; for MSE
//     |f'''| ≤ 3σ'|σ''| + |a − y||σ'''| ≤ 1.75σ' (as |σ'''| ≤ σ', σ' ≤ ¼). So
//     h²/6·|f'''| ≤ 0.3·h²·σ'(z); we allow h²·σ'(z).
//   rounding bound: each loss value is off by at most 4ε(|f| + |a − y|) (BCE
//     a few ulps relative; MSE |a − y|·δd), counted for both ends over 2h.
//   plus 1e-6 relative: slack for anything the model above misses, still far
//     tighter than any real mistake (a lost factor σ', a sign, a 1/2).
// z is drawn in [−12, 12]: beyond that MSE's gradient (~e^{−|z|}) sinks
// below the rounding noise of f(z ± h) and the check would say nothing.
template <class LossFn>
void check_finite_differences(const char* name, LossFn&& loss_fn, bool loss_is_mse) {
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> logit(-12.0, 12.0);
    for (int i = 0; i < kPointsPerSeed / 4; ++i) {
      const double z = logit(rng);
      const double y = test::draw_target(rng);
      SCOPED_TRACE(test::point(seed, z, y));
      const double h = 1e-5 * std::fmax(1.0, std::fabs(z));
      const double zp = z + h;
      const double zm = z - h;
      const ref::LossAndGrad fp = loss_fn(zp, y);
      const ref::LossAndGrad fm = loss_fn(zm, y);
      const long double width = static_cast<long double>(zp) - zm;  // the step actually taken
      const long double diff = (static_cast<long double>(fp.loss) - fm.loss) / width;
      const auto rounding = [&](double f) {
        const long double err_scale = loss_is_mse ? std::fabs(f) + std::sqrt(2 * std::fabs(f)) : std::fabs(f);
        return 4 * kEps * err_scale;
      };
      const long double trunc = static_cast<long double>(h) * h * test::sigmoid_derivative_ld(z);
      const double g = loss_fn(z, y).grad;
      const long double bound =
          1e-6L * std::fabs(g) + trunc + (rounding(fp.loss) + rounding(fm.loss)) / width;
      ASSERT_TRUE(within(name, g, diff, bound))
          << " h=" << h << " f(z+h)=" << fp.loss << " f(z−h)=" << fm.loss;
    }
  }
}

TEST(HostReferenceMath, BceGradientMatchesFiniteDifference) {
  check_finite_differences(
      "bce dℓ/dz vs central difference", [](double z, double y) { return ref::bce_with_logits(z, y); }, false);
}

TEST(HostReferenceMath, BceWithPosWeightGradientMatchesFiniteDifference) {
  for (const double p : {0.0, 0.25, 2.5, 10.0}) {
    SCOPED_TRACE("pos_weight " + std::to_string(p));
    check_finite_differences(
        "bce(pos_weight) dℓ/dz vs central difference",
        [p](double z, double y) { return ref::bce_with_logits(z, y, p); }, false);
  }
}

// PyTorch's BCEWithLogitsLoss with pos_weight p: ℓ = −[p·y ln a + (1 − y) ln(1 − a)].
TEST(HostReferenceMath, BceWithPosWeightEqualsItsTextbookForm) {
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> logit(-10.0, 10.0);
    std::uniform_real_distribution<double> weight(0.0, 8.0);
    for (int i = 0; i < kPointsPerSeed / 4; ++i) {
      const double z = logit(rng);
      const double y = test::draw_target(rng);
      const double p = weight(rng);
      SCOPED_TRACE(test::point(seed, z, y) + " p=" + std::to_string(p));
      const long double a = test::sigmoid_ld(z);
      const long double textbook = -(p * y * std::log(a) + (1 - y) * std::log(1.0L - a));
      const ref::LossAndGrad r = ref::bce_with_logits(z, y, p);
      ASSERT_TRUE(within("bce(pos_weight)", r.loss, textbook, 1e-12L * std::fabs(textbook) + 1e-15L));
      const long double w = 1 + (p - 1) * y;
      ASSERT_TRUE(within("bce(pos_weight) gradient", r.grad, w * a - p * y,
                         1e-12L * (std::fabs(w * a) + std::fabs(p * y)) + 1e-15L));
    }
  }
}

TEST(HostReferenceMath, MseGradientMatchesFiniteDifference) {
  check_finite_differences("mse dℓ/dz vs central difference", ref::mse, true);
}

TEST(HostReferenceMath, SigmoidDerivativeMatchesFiniteDifference) {
  // σ is a "loss" with gradient σ'; |σ'''| ≤ σ' so the same bounds apply.
  check_finite_differences(
      "σ' vs central difference of σ",
      [](double z, double) {
        return ref::LossAndGrad{ref::sigmoid(z), ref::sigmoid_derivative(z)};
      },
      false);
}

// ---------------------------------------------------------------------------
// Large and infinite logits
// ---------------------------------------------------------------------------

TEST(HostReferenceMath, SigmoidSaturatesWithoutNaN) {
  EXPECT_EQ(ref::sigmoid(1e4), 1.0);
  EXPECT_EQ(ref::sigmoid(-1e4), 0.0) << "e^{-1e4} underflows to 0, which is the correctly rounded σ";
  EXPECT_EQ(ref::sigmoid(1e30), 1.0);
  EXPECT_EQ(ref::sigmoid(-1e30), 0.0);
  EXPECT_EQ(ref::sigmoid(kInf), 1.0);
  EXPECT_EQ(ref::sigmoid(-kInf), 0.0);
  for (const double z : {1e4, -1e4, 1e30, -1e30, kInf, -kInf}) {
    EXPECT_EQ(ref::sigmoid_derivative(z), 0.0) << "σ'(" << z << ") must be 0, not NaN";
  }
}

TEST(HostReferenceMath, LossAndGradientFiniteAtHugeLogits) {
  for (const double z : {1e4, -1e4, 1e30, -1e30}) {
    for (const double y : {0.0, 0.3, 1.0}) {
      SCOPED_TRACE(test::point(0, z, y));
      const ref::LossAndGrad b = ref::bce_with_logits(z, y);
      const ref::LossAndGrad m = ref::mse(z, y);
      ASSERT_TRUE(std::isfinite(b.loss) && std::isfinite(b.grad)) << "bce " << b.loss << " " << b.grad;
      ASSERT_TRUE(std::isfinite(m.loss) && std::isfinite(m.grad)) << "mse " << m.loss << " " << m.grad;
      // Saturated: a is exactly 0 or 1, log1p(e^{−|z|}) is 0, σ' underflows.
      // BCE is then the linear part, (1 − y)z above 0 and −yz below.
      const long double yl = y;
      const long double a = z > 0 ? 1.0L : 0.0L;
      const long double bce_loss = z > 0 ? (1.0L - yl) * z : -yl * z;
      EXPECT_TRUE(within_rel("bce ℓ", b.loss, bce_loss, 2 * kEps));
      EXPECT_TRUE(within_rel("bce dℓ/dz", b.grad, a - yl, 2 * kEps));
      EXPECT_TRUE(within_rel("mse ℓ", m.loss, 0.5L * (a - yl) * (a - yl), 4 * kEps));
      EXPECT_EQ(m.grad, 0.0) << "MSE gradient carries σ', which underflows to 0";
    }
  }
}

TEST(HostReferenceMath, BceAtInfiniteLogitsTakesTheLimit) {
  // The limit exists (0) when the target agrees exactly; otherwise the loss
  // diverges to +inf. The gradient a − y has a limit in every case.
  EXPECT_EQ(ref::bce_with_logits(kInf, 1.0).loss, 0.0);
  EXPECT_EQ(ref::bce_with_logits(-kInf, 0.0).loss, 0.0);
  EXPECT_EQ(ref::bce_with_logits(kInf, 0.3).loss, kInf);
  EXPECT_EQ(ref::bce_with_logits(kInf, 0.0).loss, kInf);
  EXPECT_EQ(ref::bce_with_logits(-kInf, 0.3).loss, kInf);
  EXPECT_EQ(ref::bce_with_logits(-kInf, 1.0).loss, kInf);

  EXPECT_EQ(ref::bce_with_logits(kInf, 1.0).grad, 0.0);
  EXPECT_EQ(ref::bce_with_logits(kInf, 0.0).grad, 1.0);
  EXPECT_DOUBLE_EQ(ref::bce_with_logits(kInf, 0.3).grad, 0.7);
  EXPECT_EQ(ref::bce_with_logits(-kInf, 0.0).grad, 0.0);
  EXPECT_EQ(ref::bce_with_logits(-kInf, 1.0).grad, -1.0);
  EXPECT_EQ(ref::bce_with_logits(-kInf, 0.3).grad, -0.3);
}

TEST(HostReferenceMath, MseAtInfiniteLogitsIsFinite) {
  for (const double y : {0.0, 0.3, 1.0}) {
    SCOPED_TRACE(test::point(0, kInf, y));
    EXPECT_DOUBLE_EQ(ref::mse(kInf, y).loss, 0.5 * (1.0 - y) * (1.0 - y));
    EXPECT_DOUBLE_EQ(ref::mse(-kInf, y).loss, 0.5 * y * y);
    EXPECT_EQ(ref::mse(kInf, y).grad, 0.0);
    EXPECT_EQ(ref::mse(-kInf, y).grad, 0.0);
  }
}

TEST(HostReferenceMath, BceFollowsItsAsymptotes) {
  // ℓ = 1e30 exactly: (1 − 0)·1e30 + log1p(e^{−1e30}) = 1e30 + 0.
  EXPECT_EQ(ref::bce_with_logits(1e30, 0.0).loss, 1e30);
  EXPECT_EQ(ref::bce_with_logits(-1e30, 1.0).loss, 1e30);
  // Confidently right: ℓ = log1p(e^{−40}) ≈ e^{−40}·(1 − e^{−40}/2), a value
  // the naive −ln σ(40) = −ln 1 = 0 cannot produce.
  const long double tail = std::log1p(std::exp(-40.0L));
  EXPECT_TRUE(within_rel("bce(40, 1)", ref::bce_with_logits(40.0, 1.0).loss, tail, 1e-12L));
  EXPECT_TRUE(within_rel("bce(−40, 0)", ref::bce_with_logits(-40.0, 0.0).loss, tail, 1e-12L));
  EXPECT_TRUE(
      within_rel("bce(40, 1) vs e^-40", ref::bce_with_logits(40.0, 1.0).loss, std::exp(-40.0L), 1e-12L));
  // And its gradient σ(40) − 1 = −σ(−40) ≈ −e^{−40}, not 0.
  EXPECT_TRUE(
      within_rel("bce'(40, 1)", ref::bce_with_logits(40.0, 1.0).grad, -test::sigmoid_ld(-40.0L), 1e-12L));
  EXPECT_TRUE(
      within_rel("bce'(−40, 0)", ref::bce_with_logits(-40.0, 0.0).grad, test::sigmoid_ld(-40.0L), 1e-12L));
}

// ---------------------------------------------------------------------------
// BCE against the textbook formula
// ---------------------------------------------------------------------------

TEST(HostReferenceMath, BceEqualsNaiveFormWhereItIsAccurate) {
  // −[y ln a + (1 − y) ln(1 − a)] evaluated in long double is accurate to
  // ~1e-15 for |z| ≤ 10 (see bce_naive_ld); 1e-12 leaves room for the
  // reference's few double ulps and nothing that is actually wrong.
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> logit(-10.0, 10.0);
    for (int i = 0; i < kPointsPerSeed; ++i) {
      const double z = logit(rng);
      const double y = test::draw_target(rng);
      SCOPED_TRACE(test::point(seed, z, y));
      ASSERT_TRUE(within_rel("bce vs −[y ln a + (1−y) ln(1−a)]", ref::bce_with_logits(z, y).loss,
                             test::bce_naive_ld(z, y), 1e-12L));
    }
  }
}

// ---------------------------------------------------------------------------
// The seed's arguments: learning slowdown, and maximum likelihood
// ---------------------------------------------------------------------------

TEST(HostReferenceMath, MseLearnsSlowlyWhenSaturatedAndBceDoesNot) {
  // Confidently wrong: z = 8 with y = 0, or z = −8 with y = 1. BCE's gradient
  // is a − y; MSE's is (a − y)σ'(z), so the ratio is exactly σ'(±8) ≈ 3.35e-4:
  // MSE learns ~3000 times more slowly just when the model is most wrong.
  for (const auto [z, y] : {std::array{8.0, 0.0}, std::array{-8.0, 1.0}, std::array{16.0, 0.0}}) {
    SCOPED_TRACE(test::point(0, z, y));
    const double mse_grad = ref::mse(z, y).grad;
    const double bce_grad = ref::bce_with_logits(z, y).grad;
    const long double expected_ratio = test::sigmoid_derivative_ld(z);
    EXPECT_TRUE(
        within_rel("|mse'| / |bce'|", std::fabs(mse_grad) / std::fabs(bce_grad), expected_ratio, 16 * kEps));
    EXPECT_LT(std::fabs(mse_grad), 1e-3 * std::fabs(bce_grad));
    EXPECT_GT(std::fabs(bce_grad), 0.99) << "BCE's gradient stays near its maximum of 1";
  }
  // Unsaturated, at z = 0, the ratio is only σ'(0) = ¼.
  EXPECT_EQ(ref::mse(0.0, 1.0).grad / ref::bce_with_logits(0.0, 1.0).grad, 0.25);
}

// MSE without the sigmoid (activation identity), against PyTorch's mse_loss,
// which is (y − z)², twice lossbench's ½(y − z)². The inputs are binary
// fractions, so every value below is exact, in PyTorch's float64 as here
// (checked with torch 2.15.0 in float64, CPU, 2026-12-07):
//   z = torch.tensor([1.5, -2.0, 0.25, 1e4], dtype=torch.float64, requires_grad=True)
//   y = torch.tensor([0.5, 3.0, 0.25, -1e4], dtype=torch.float64)
//   F.mse_loss(z, y, reduction='none')  -> [1.0, 25.0, 0.0, 4e8]
//   F.mse_loss(z, y).backward(); z.grad  -> 2(z − y)/4 = [0.5, -2.5, 0.0, 1e4]
TEST(HostReferenceMath, IdentityMseIsHalfOfPyTorchsMseLoss) {
  const std::array<double, 4> z{1.5, -2.0, 0.25, 1e4};
  const std::array<double, 4> y{0.5, 3.0, 0.25, -1e4};
  const std::array<double, 4> torch_none{1.0, 25.0, 0.0, 4e8};
  const std::array<double, 4> torch_mean_grad{0.5, -2.5, 0.0, 1e4};
  for (std::size_t i = 0; i < z.size(); ++i) {
    const ref::LossAndGrad r = ref::identity_mse(z[i], y[i]);
    EXPECT_EQ(2.0 * r.loss, torch_none[i]) << i;
    EXPECT_EQ(r.grad, z[i] - y[i]) << i;
    EXPECT_EQ(ref::elementwise(Loss::mse, z[i], y[i], 1.0, Activation::identity).loss, r.loss) << i;
  }
  // grad_scale 2 turns lossbench's mean gradient into PyTorch's.
  const std::array<float, 4> zf{1.5f, -2.0f, 0.25f, 1e4f};  // exact in float32 too
  const std::array<float, 4> yf{0.5f, 3.0f, 0.25f, -1e4f};
  const ConstArrayView zv{zf.data(), DType::f32, 4};
  const ConstArrayView yv{yf.data(), DType::f32, 4};
  const ref::Result mean =
      ref::compute(Loss::mse, Reduction::mean, zv, yv, {.activation = Activation::identity, .grad_scale = 2.0});
  EXPECT_EQ(2.0 * *mean.reduced_loss, (1.0 + 25.0 + 0.0 + 4e8) / 4.0);
  for (std::size_t i = 0; i < z.size(); ++i) EXPECT_EQ(mean.grad[i], torch_mean_grad[i]) << i;
}

TEST(HostReferenceMath, IdentityMseAtInfinitiesAsPyTorch) {
  // (inf − 1)² = inf, its gradient inf; inf − inf is NaN in PyTorch too.
  EXPECT_EQ(ref::identity_mse(kInf, 1.0).loss, kInf);
  EXPECT_EQ(ref::identity_mse(kInf, 1.0).grad, kInf);
  EXPECT_EQ(ref::identity_mse(-kInf, 1.0).grad, -kInf);
  EXPECT_EQ(ref::identity_mse(2.0, kInf).grad, -kInf);
  EXPECT_TRUE(std::isnan(ref::identity_mse(kInf, kInf).loss));
  EXPECT_TRUE(std::isnan(ref::identity_mse(kInf, kInf).grad));
}

TEST(HostReferenceMath, IdentityActivationIsMseOnly) {
  EXPECT_THROW(ref::elementwise(Loss::bce, 0.5, 0.5, 1.0, Activation::identity), InputError);
  const std::array<float, 1> v{0.5f};
  const ConstArrayView view{v.data(), DType::f32, 1};
  EXPECT_THROW(ref::compute(Loss::bce, Reduction::sum, view, view, {.activation = Activation::identity}), InputError);
}

TEST(HostReferenceMath, IdentityTargetsAreAnyNumberButNaN) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::array<float, 4> reals{-5.0f, 1e4f, inf, 0.5f};
  EXPECT_NO_THROW(ref::validate_targets(ConstArrayView{reals.data(), DType::f32, 4}, Activation::identity));
  EXPECT_THROW(ref::validate_targets(ConstArrayView{reals.data(), DType::f32, 4}), InputError);
  const std::array<float, 2> with_nan{1.0f, std::numeric_limits<float>::quiet_NaN()};
  try {
    ref::validate_targets(ConstArrayView{with_nan.data(), DType::f32, 2}, Activation::identity);
    ADD_FAILURE() << "a NaN target was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("targets[1] is NaN"), std::string::npos) << e.what();
  }
}

TEST(HostReferenceMath, CoinLikelihoodIsMaximalAtThetaOne) {
  // Two heads from a coin with P(heads) = θ: likelihood L(θ) = θ².
  const auto likelihood = [](double theta) { return theta * theta; };
  EXPECT_DOUBLE_EQ(likelihood(0.5), 0.25);
  EXPECT_DOUBLE_EQ(likelihood(0.6), 0.36);
  constexpr int kGrid = 1000;
  int best = 0;
  for (int k = 0; k <= kGrid; ++k) {
    if (likelihood(k / double{kGrid}) > likelihood(best / double{kGrid})) best = k;
  }
  EXPECT_EQ(best, kGrid) << "the maximum-likelihood θ for two heads is 1";

  // BCE is the negative log-likelihood: two observations y = 1 with a = θ,
  // i.e. z = logit(θ), cost C = −2 ln θ, so e^{−C} = θ² and the BCE minimum
  // is the likelihood maximum. θ = 1 is z = +inf, where C = 0.
  int best_bce = 0;
  double best_cost = kInf;
  for (int k = 1; k <= kGrid; ++k) {
    const double theta = k / double{kGrid};
    const double z = k == kGrid ? kInf : std::log(theta / (1.0 - theta));
    SCOPED_TRACE(test::point(0, z, 1.0));
    const double cost = 2 * ref::bce_with_logits(z, 1.0).loss;
    // −2 ln θ is ~2e-3 at θ = 0.999, so 1e-12 relative is a real check.
    ASSERT_TRUE(within("C = −2 ln θ", cost, -2.0L * std::log(static_cast<long double>(theta)),
                       1e-12L * std::fabs(2.0L * std::log(static_cast<long double>(theta))) + 1e-300L));
    ASSERT_TRUE(within_rel("e^{−C} = θ²", std::exp(-cost), static_cast<long double>(theta) * theta, 1e-12L));
    if (cost < best_cost) {
      best_cost = cost;
      best_bce = k;
    }
  }
  EXPECT_EQ(best_bce, kGrid) << "BCE must be minimal where the likelihood is maximal";
  EXPECT_EQ(best_cost, 0.0);

  // θ = ½ through the array API: z = 0 is exact in f32, C = 2 ln 2, e^{−C} = ¼.
  const float z_half[2] = {0.0f, 0.0f};
  const float heads[2] = {1.0f, 1.0f};
  const ref::Result r = ref::compute(Loss::bce, Reduction::sum, ConstArrayView{z_half, DType::f32, 2},
                                     ConstArrayView{heads, DType::f32, 2});
  ASSERT_TRUE(r.reduced_loss.has_value());
  EXPECT_TRUE(within_rel("C(θ = ½)", *r.reduced_loss, 2 * std::log(2.0L), 4 * kEps));
  EXPECT_TRUE(within_rel("e^{−C(θ = ½)}", std::exp(-*r.reduced_loss), 0.25L, 8 * kEps));
}

}  // namespace
}  // namespace lossbench
