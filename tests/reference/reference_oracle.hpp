#pragma once
// An independent oracle for the CPU reference tests: the same mathematics in
// x87 extended precision (long double, 64-bit significand on x86-64), written
// in the plainest form that is accurate there, so that the tests never derive
// an expectation by calling the function they check.
//
// Also the shared tolerance helper, so every test reports a mismatch the same
// way: the parameters, both values, the difference and the bound it broke.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <iomanip>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace lossbench::test {

inline constexpr double kEps = std::numeric_limits<double>::epsilon();

/// Fixed seeds: several, so one lucky stream cannot hide a bug; fixed, so a
/// failure reproduces. Each test prints the seed it was using.
inline constexpr std::uint64_t kSeeds[] = {1, 20261124, 0x9e3779b97f4a7c15ULL, 424242};

/// σ(z) in long double; exp only ever sees a non-positive argument.
inline long double sigmoid_ld(long double z) {
  if (z >= 0) return 1.0L / (1.0L + std::exp(-z));
  const long double e = std::exp(z);
  return e / (1.0L + e);
}

/// σ'(z) = e^{−|z|} / (1 + e^{−|z|})², which is symmetric in z and has no
/// cancellation anywhere, unlike a(1 − a).
inline long double sigmoid_derivative_ld(long double z) {
  const long double e = std::exp(-std::fabs(z));
  return e / ((1.0L + e) * (1.0L + e));
}

/// a − y in long double. Subtracting y from a rounded a near 1 would leave
/// only the absolute error of a (~5e-20), which at z = 24 is already 1e-9
/// relative to a − 1 ≈ −5e-11; so above z = 0 use 1 − a = σ(−z), which is
/// known to full relative precision, and 1 − y, which is exact here.
inline long double sigmoid_minus_target_ld(long double z, long double y) {
  if (z >= 0) return (1.0L - y) - sigmoid_ld(-z);
  return sigmoid_ld(z) - y;
}

/// min(a, 1 − a) = σ(−|z|), the smaller of the two, to full relative precision.
inline long double sigmoid_distance_to_saturation_ld(long double z) { return sigmoid_ld(-std::fabs(z)); }

/// The textbook BCE, −[y ln a + (1 − y) ln(1 − a)], in long double. Accurate
/// to ~1e-15 relative for |z| ≤ 10: there 1 − a ≥ 4.5e-5, so forming 1 − a in
/// a 64-bit significand loses at most 15 of its 64 bits. 0·ln(·) is taken as 0.
inline long double bce_naive_ld(long double z, long double y) {
  const long double a = sigmoid_ld(z);
  const long double pos = y == 0 ? 0.0L : y * std::log(a);
  const long double neg = y == 1 ? 0.0L : (1.0L - y) * std::log(1.0L - a);
  return -(pos + neg);
}

/// Kahan summation in long double: error ~2 long-double ulps of the sum, far
/// below one double ulp, so it serves as the exact sum for double results.
inline long double exact_sum_ld(const std::vector<double>& values) {
  long double sum = 0.0L;
  long double c = 0.0L;
  for (const double v : values) {
    const long double y = static_cast<long double>(v) - c;
    const long double t = sum + y;
    c = (t - sum) - y;
    sum = t;
  }
  return sum;
}

/// |got − expected| ≤ bound, with a message carrying everything needed to
/// reproduce: what was compared, both values to 17 digits, the gap and the bound.
inline ::testing::AssertionResult within(const char* what, double got, long double expected,
                                         long double bound) {
  const long double gap = std::fabs(static_cast<long double>(got) - expected);
  if (gap <= bound) return ::testing::AssertionSuccess();
  std::ostringstream out;
  out << std::setprecision(17) << what << ": got " << got << " expected " << static_cast<double>(expected)
      << ", |diff| " << static_cast<double>(gap) << " > bound " << static_cast<double>(bound);
  return ::testing::AssertionFailure() << out.str();
}

/// Relative closeness: |got − expected| ≤ rel·|expected|.
inline ::testing::AssertionResult within_rel(const char* what, double got, long double expected,
                                             long double rel) {
  return within(what, got, expected, rel * std::fabs(expected));
}

/// Logits drawn so that every test visits both tails and the middle: mostly
/// |z| ≤ 8 where all terms matter, some out to ±40 where σ saturates.
inline double draw_logit(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> middle(-8.0, 8.0);
  std::uniform_real_distribution<double> wide(-40.0, 40.0);
  std::bernoulli_distribution use_wide(0.25);
  return use_wide(rng) ? wide(rng) : middle(rng);
}

/// Targets: hard labels 0 and 1 a third of the time each, soft labels otherwise.
inline double draw_target(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> kind(0, 2);
  std::uniform_real_distribution<double> soft(0.0, 1.0);
  switch (kind(rng)) {
    case 0:
      return 0.0;
    case 1:
      return 1.0;
    default:
      return soft(rng);
  }
}

/// "seed=… z=… y=…" to 17 significant digits, for SCOPED_TRACE: enough to
/// reproduce any failing point by hand.
inline std::string point(std::uint64_t seed, double z, double y) {
  std::ostringstream out;
  out << std::setprecision(17) << "seed=" << seed << " z=" << z << " y=" << y;
  return out.str();
}

}  // namespace lossbench::test
