// The array API of the CPU reference: compute() with each reduction and
// dtype, its input checks, target validation, and compensated summation.
// Per-element values are trusted from test_host_reference_math.cpp; here
// expectations are built from elementwise() and an extended-precision sum.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

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

// Around the vector widths, block sizes and tiles a kernel will use, plus a
// size large enough that naive summation would drift.
constexpr std::size_t kSizes[] = {1, 2, 15, 16, 17, 127, 128, 129, 4095, 4096, 4097, 100000};

std::string case_name(std::uint64_t seed, std::size_t n, Loss loss, Reduction reduction) {
  return "seed=" + std::to_string(seed) + " n=" + std::to_string(n) +
         " loss=" + std::string(to_string(loss)) + " reduction=" + std::string(to_string(reduction));
}

/// f32 arrays of random logits and targets. Values are rounded to float on
/// the way in, so `as_double` holds exactly what compute() will read.
struct Batch {
  std::vector<float> z;
  std::vector<float> y;
  ConstArrayView logits() const { return {z.data(), DType::f32, static_cast<std::int64_t>(z.size())}; }
  ConstArrayView targets() const { return {y.data(), DType::f32, static_cast<std::int64_t>(y.size())}; }
};

Batch random_batch(std::mt19937_64& rng, std::size_t n) {
  Batch b;
  b.z.reserve(n);
  b.y.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    b.z.push_back(static_cast<float>(test::draw_logit(rng)));
    b.y.push_back(static_cast<float>(test::draw_target(rng)));
  }
  return b;
}

// ---------------------------------------------------------------------------
// Reductions
// ---------------------------------------------------------------------------

TEST(HostReferenceCompute, ReductionNoneFillsEveryElement) {
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    for (const std::size_t n : kSizes) {
      for (const Loss loss : {Loss::mse, Loss::bce}) {
        SCOPED_TRACE(case_name(seed, n, loss, Reduction::none));
        const Batch b = random_batch(rng, n);
        const ref::Result r = ref::compute(loss, Reduction::none, b.logits(), b.targets());
        EXPECT_FALSE(r.reduced_loss.has_value())
            << "none must leave reduced_loss empty, got " << *r.reduced_loss;
        ASSERT_EQ(r.elementwise_loss.size(), n);
        ASSERT_EQ(r.grad.size(), n);
        for (std::size_t i = 0; i < n; ++i) {
          const ref::LossAndGrad e = ref::elementwise(loss, b.z[i], b.y[i]);
          ASSERT_EQ(r.elementwise_loss[i], e.loss) << "element " << i << " z=" << b.z[i] << " y=" << b.y[i];
          ASSERT_EQ(r.grad[i], e.grad) << "element " << i << " z=" << b.z[i] << " y=" << b.y[i];
        }
      }
    }
  }
}

TEST(HostReferenceCompute, ReductionSumAndMean) {
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    for (const std::size_t n : kSizes) {
      for (const Loss loss : {Loss::mse, Loss::bce}) {
        const Batch b = random_batch(rng, n);
        std::vector<double> losses(n);
        std::vector<double> grads(n);
        for (std::size_t i = 0; i < n; ++i) {
          const ref::LossAndGrad e = ref::elementwise(loss, b.z[i], b.y[i]);
          losses[i] = e.loss;
          grads[i] = e.grad;
        }
        // All losses are ≥ 0, so the sum is well conditioned and a
        // compensated double sum lands within ~1 ulp of the exact one.
        const long double exact = test::exact_sum_ld(losses);
        const double dn = static_cast<double>(n);
        {
          SCOPED_TRACE(case_name(seed, n, loss, Reduction::sum));
          const ref::Result r = ref::compute(loss, Reduction::sum, b.logits(), b.targets());
          ASSERT_TRUE(r.reduced_loss.has_value());
          EXPECT_TRUE(within_rel("sum", *r.reduced_loss, exact, 2 * kEps));
          EXPECT_TRUE(r.elementwise_loss.empty()) << "sum returns no per-element losses";
          ASSERT_EQ(r.grad.size(), n);
          for (std::size_t i = 0; i < n; ++i) {
            ASSERT_EQ(r.grad[i], grads[i]) << "sum's gradient is dℓ_i/dz_i; element " << i;
          }
        }
        {
          SCOPED_TRACE(case_name(seed, n, loss, Reduction::mean));
          const ref::Result r = ref::compute(loss, Reduction::mean, b.logits(), b.targets());
          ASSERT_TRUE(r.reduced_loss.has_value());
          EXPECT_TRUE(within_rel("mean", *r.reduced_loss, exact / n, 3 * kEps));
          EXPECT_TRUE(r.elementwise_loss.empty()) << "mean returns no per-element losses";
          ASSERT_EQ(r.grad.size(), n);
          for (std::size_t i = 0; i < n; ++i) {
            // d(mean)/dz_i = (dℓ_i/dz_i)/n, one rounding either way.
            ASSERT_TRUE(within("mean's dC/dz_i", r.grad[i], static_cast<long double>(grads[i]) / dn,
                               kEps * std::fabs(grads[i] / dn)))
                << "element " << i;
          }
        }
      }
    }
  }
}

TEST(HostReferenceCompute, EmptyBatch) {
  // n = 0: sum 0 and mean NaN as in PyTorch; no gradients. A null pointer
  // with zero elements is a valid empty array.
  const ConstArrayView empty{nullptr, DType::f32, 0};
  for (const Loss loss : {Loss::mse, Loss::bce}) {
    SCOPED_TRACE(std::string(to_string(loss)));
    const ref::Result sum = ref::compute(loss, Reduction::sum, empty, empty);
    ASSERT_TRUE(sum.reduced_loss.has_value());
    EXPECT_EQ(*sum.reduced_loss, 0.0);
    EXPECT_TRUE(sum.grad.empty());
    const ref::Result mean = ref::compute(loss, Reduction::mean, empty, empty);
    ASSERT_TRUE(mean.reduced_loss.has_value());
    EXPECT_TRUE(std::isnan(*mean.reduced_loss))
        << "mean over nothing must be NaN, got " << *mean.reduced_loss;
    EXPECT_TRUE(mean.grad.empty());
    const ref::Result none = ref::compute(loss, Reduction::none, empty, empty);
    EXPECT_FALSE(none.reduced_loss.has_value());
    EXPECT_TRUE(none.elementwise_loss.empty());
    EXPECT_TRUE(none.grad.empty());
  }
}

TEST(HostReferenceCompute, SumOfAnInfiniteLossIsInfinite) {
  // Regression: compensated_sum() once turned an infinite term into NaN.
  // BCE at z = +inf with y < 1 is +inf per element (the loss diverges), and
  // a batch containing it must sum to +inf, as PyTorch's does, not to NaN.
  const float z[3] = {0.0f, std::numeric_limits<float>::infinity(), 1.0f};
  const float y[3] = {1.0f, 0.3f, 0.0f};
  const ConstArrayView logits{z, DType::f32, 3};
  const ConstArrayView targets{y, DType::f32, 3};
  const ref::Result none = ref::compute(Loss::bce, Reduction::none, logits, targets);
  ASSERT_EQ(none.elementwise_loss.at(1), kInf) << "precondition: the element itself is +inf";
  const ref::Result sum = ref::compute(Loss::bce, Reduction::sum, logits, targets);
  ASSERT_TRUE(sum.reduced_loss.has_value());
  EXPECT_EQ(*sum.reduced_loss, kInf) << "sum of losses {ln 2, +inf, 1.313} must be +inf";
  const ref::Result mean = ref::compute(Loss::bce, Reduction::mean, logits, targets);
  ASSERT_TRUE(mean.reduced_loss.has_value());
  EXPECT_EQ(*mean.reduced_loss, kInf) << "mean of losses {ln 2, +inf, 1.313} must be +inf";
}

// ---------------------------------------------------------------------------
// Input checks and target validation
// ---------------------------------------------------------------------------

TEST(HostReferenceCompute, SizeMismatchThrows) {
  const float z[4] = {0.0f, 1.0f, 2.0f, 3.0f};
  const float y[4] = {0.0f, 1.0f, 0.5f, 1.0f};
  for (const Reduction reduction : {Reduction::none, Reduction::sum, Reduction::mean}) {
    SCOPED_TRACE(std::string(to_string(reduction)));
    try {
      ref::compute(Loss::bce, reduction, ConstArrayView{z, DType::f32, 4}, ConstArrayView{y, DType::f32, 3});
      ADD_FAILURE() << "4 logits and 3 targets must throw InputError";
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find('4'), std::string::npos) << "message should give both sizes: " << what;
      EXPECT_NE(what.find('3'), std::string::npos) << "message should give both sizes: " << what;
    }
    EXPECT_THROW(ref::compute(Loss::mse, reduction, ConstArrayView{z, DType::f32, 0},
                              ConstArrayView{y, DType::f32, 1}),
                 InputError);
  }
}

TEST(HostReferenceCompute, MalformedViewsAndEnumsThrow) {
  const float v[2] = {0.0f, 1.0f};
  EXPECT_THROW(ref::compute(Loss::bce, Reduction::sum, ConstArrayView{v, DType::f32, -1},
                            ConstArrayView{v, DType::f32, -1}),
               InputError)
      << "a negative size must be rejected";
  EXPECT_THROW(ref::compute(Loss::bce, Reduction::sum, ConstArrayView{nullptr, DType::f32, 2},
                            ConstArrayView{v, DType::f32, 2}),
               InputError)
      << "a null pointer with elements must be rejected";
  EXPECT_THROW(ref::compute(Loss::mse, Reduction::mean, ConstArrayView{v, DType::f32, 2},
                            ConstArrayView{nullptr, DType::f32, 2}),
               InputError)
      << "a null pointer with elements must be rejected";
  EXPECT_THROW(ref::compute(static_cast<Loss>(7), Reduction::sum, ConstArrayView{v, DType::f32, 2},
                            ConstArrayView{v, DType::f32, 2}),
               InputError);
  EXPECT_THROW(ref::compute(Loss::mse, static_cast<Reduction>(9), ConstArrayView{v, DType::f32, 2},
                            ConstArrayView{v, DType::f32, 2}),
               InputError);
}

/// Ten valid targets with `bad` at index 7, and another bad one at 9 so that
/// a validator reporting the last rather than the first offender fails.
std::vector<float> targets_with_bad_at_7(float bad) {
  std::vector<float> y = {0.0f, 1.0f, 0.5f, 0.25f, 1.0f, 0.0f, 0.75f, bad, 0.125f, bad};
  return y;
}

TEST(HostReferenceCompute, ValidateTargetsNamesTheFirstBadIndex) {
  const float bad_values[] = {std::numeric_limits<float>::quiet_NaN(), 1.5f, -0.1f,
                              std::numeric_limits<float>::infinity(), 1.0000001f};
  const std::vector<float> z(10, 0.5f);
  for (const float bad : bad_values) {
    SCOPED_TRACE("bad target " + ::testing::PrintToString(bad));
    const std::vector<float> y = targets_with_bad_at_7(bad);
    const ConstArrayView targets{y.data(), DType::f32, 10};
    try {
      ref::validate_targets(targets);
      ADD_FAILURE() << "validate_targets accepted " << bad;
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("targets[7]"), std::string::npos) << "message must name targets[7]: " << what;
      EXPECT_EQ(what.find("targets[9]"), std::string::npos)
          << "message must name the first offender: " << what;
    }
    // Through compute() with the option on, every reduction.
    for (const Reduction reduction : {Reduction::none, Reduction::sum, Reduction::mean}) {
      try {
        ref::compute(Loss::bce, reduction, ConstArrayView{z.data(), DType::f32, 10}, targets,
                     ref::Options{.validate_targets = true});
        ADD_FAILURE() << "compute(validate_targets) accepted " << bad << " with reduction "
                      << to_string(reduction);
      } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("targets[7]"), std::string::npos) << e.what();
      }
    }
    // With validation off (the default) the bad target is simply used.
    EXPECT_NO_THROW(
        ref::compute(Loss::bce, Reduction::sum, ConstArrayView{z.data(), DType::f32, 10}, targets));
  }
}

TEST(HostReferenceCompute, ValidateTargetsMentionsTheValue) {
  const std::vector<float> y = targets_with_bad_at_7(1.5f);
  try {
    ref::validate_targets(ConstArrayView{y.data(), DType::f32, 10});
    ADD_FAILURE() << "1.5 accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("1.5"), std::string::npos)
        << "message should show the value: " << e.what();
  }
  const std::vector<float> n = targets_with_bad_at_7(std::numeric_limits<float>::quiet_NaN());
  try {
    ref::validate_targets(ConstArrayView{n.data(), DType::f32, 10});
    ADD_FAILURE() << "NaN accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("NaN"), std::string::npos) << "message should say NaN: " << e.what();
  }
}

TEST(HostReferenceCompute, ValidateTargetsAcceptsHardAndSoftLabels) {
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    std::vector<float> y = {
        0.0f, 1.0f, -0.0f, 0.5f, std::nextafter(1.0f, 0.0f), std::numeric_limits<float>::denorm_min()};
    for (int i = 0; i < 1000; ++i) y.push_back(static_cast<float>(test::draw_target(rng)));
    SCOPED_TRACE("seed=" + std::to_string(seed));
    const ConstArrayView targets{y.data(), DType::f32, static_cast<std::int64_t>(y.size())};
    EXPECT_NO_THROW(ref::validate_targets(targets));
    const std::vector<float> z(y.size(), -2.0f);
    EXPECT_NO_THROW(ref::compute(Loss::mse, Reduction::mean,
                                 ConstArrayView{z.data(), DType::f32, static_cast<std::int64_t>(z.size())},
                                 targets, ref::Options{.validate_targets = true}));
  }
}

TEST(HostReferenceCompute, ValidateTargetsIn16BitDtypes) {
  std::vector<Half> h(10, double_to_half(0.5));
  std::vector<BFloat16> b(10, double_to_bfloat16(1.0));
  h[7] = double_to_half(std::numeric_limits<double>::quiet_NaN());
  b[7] = double_to_bfloat16(-0.1);
  for (const ConstArrayView targets :
       {ConstArrayView{h.data(), DType::f16, 10}, ConstArrayView{b.data(), DType::bf16, 10}}) {
    SCOPED_TRACE(std::string(to_string(targets.dtype)));
    try {
      ref::validate_targets(targets);
      ADD_FAILURE() << "bad 16-bit target accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("targets[7]"), std::string::npos) << e.what();
    }
  }
}

// ---------------------------------------------------------------------------
// Dtypes
// ---------------------------------------------------------------------------

/// Which conversion a dtype applies, done here through the exact converters
/// rather than load_as_double, which is what compute() itself uses.
double as_double(double value, DType dtype) {
  switch (dtype) {
    case DType::f32:
      return static_cast<float>(value);
    case DType::f16:
      return half_to_float(double_to_half(value));
    case DType::bf16:
      return bfloat16_to_float(double_to_bfloat16(value));
  }
  return std::numeric_limits<double>::quiet_NaN();
}

/// A buffer of `values` in `dtype`, built with the dtype's own converter.
std::vector<unsigned char> encode(const std::vector<double>& values, DType dtype) {
  std::vector<unsigned char> bytes(values.size() * dtype_size(dtype));
  for (std::size_t i = 0; i < values.size(); ++i) {
    switch (dtype) {
      case DType::f32: {
        const float f = static_cast<float>(values[i]);
        std::memcpy(bytes.data() + 4 * i, &f, 4);
        break;
      }
      case DType::f16: {
        const Half v = double_to_half(values[i]);
        std::memcpy(bytes.data() + 2 * i, &v.bits, 2);
        break;
      }
      case DType::bf16: {
        const BFloat16 v = double_to_bfloat16(values[i]);
        std::memcpy(bytes.data() + 2 * i, &v.bits, 2);
        break;
      }
    }
  }
  return bytes;
}

TEST(HostReferenceCompute, EveryDtypeMatchesTheSameValuesInDouble) {
  const DType dtypes[] = {DType::f32, DType::f16, DType::bf16};
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    for (const std::size_t n : {std::size_t{1}, std::size_t{17}, std::size_t{4097}}) {
      std::vector<double> z(n);
      std::vector<double> y(n);
      std::uniform_real_distribution<double> logit(-12.0, 12.0);
      for (std::size_t i = 0; i < n; ++i) {
        z[i] = logit(rng);
        y[i] = test::draw_target(rng);
      }
      for (const DType zt : dtypes) {
        for (const DType yt : dtypes) {
          const std::vector<unsigned char> zb = encode(z, zt);
          const std::vector<unsigned char> yb = encode(y, yt);
          const ConstArrayView logits{zb.data(), zt, static_cast<std::int64_t>(n)};
          const ConstArrayView targets{yb.data(), yt, static_cast<std::int64_t>(n)};
          for (const Loss loss : {Loss::mse, Loss::bce}) {
            SCOPED_TRACE(case_name(seed, n, loss, Reduction::sum) + " logits " + std::string(to_string(zt)) +
                         " targets " + std::string(to_string(yt)));
            std::vector<double> losses(n);
            std::vector<double> grads(n);
            for (std::size_t i = 0; i < n; ++i) {
              const ref::LossAndGrad e = ref::elementwise(loss, as_double(z[i], zt), as_double(y[i], yt));
              losses[i] = e.loss;
              grads[i] = e.grad;
            }
            const ref::Result r = ref::compute(loss, Reduction::sum, logits, targets);
            ASSERT_TRUE(r.reduced_loss.has_value());
            EXPECT_TRUE(within_rel("sum", *r.reduced_loss, test::exact_sum_ld(losses), 2 * kEps));
            ASSERT_EQ(r.grad.size(), n);
            for (std::size_t i = 0; i < n; ++i) {
              ASSERT_EQ(r.grad[i], grads[i])
                  << "element " << i << " z=" << z[i] << " y=" << y[i] << " read as z=" << as_double(z[i], zt)
                  << " y=" << as_double(y[i], yt);
            }
          }
        }
      }
    }
  }
}

TEST(HostReferenceCompute, SixteenBitInputsAreReadExactly) {
  // Values exactly representable in f16 and bf16 give bit-identical results
  // to the same values in f32: the conversion adds nothing of its own.
  const std::vector<double> z = {0.0, 1.0, -2.5, 8.0, -0.375, 3.0};
  const std::vector<double> y = {1.0, 0.0, 0.5, 0.25, 1.0, 0.75};
  const std::vector<unsigned char> z32 = encode(z, DType::f32);
  const std::vector<unsigned char> y32 = encode(y, DType::f32);
  for (const DType dt : {DType::f16, DType::bf16}) {
    SCOPED_TRACE(std::string(to_string(dt)));
    const std::vector<unsigned char> z16 = encode(z, dt);
    const std::vector<unsigned char> y16 = encode(y, dt);
    for (const Loss loss : {Loss::mse, Loss::bce}) {
      const ref::Result a = ref::compute(loss, Reduction::none, ConstArrayView{z32.data(), DType::f32, 6},
                                         ConstArrayView{y32.data(), DType::f32, 6});
      const ref::Result b = ref::compute(loss, Reduction::none, ConstArrayView{z16.data(), dt, 6},
                                         ConstArrayView{y16.data(), dt, 6});
      EXPECT_EQ(a.elementwise_loss, b.elementwise_loss) << to_string(loss);
      EXPECT_EQ(a.grad, b.grad) << to_string(loss);
    }
  }
}

// ---------------------------------------------------------------------------
// Compensated summation
// ---------------------------------------------------------------------------

double naive_sum(const std::vector<double>& values) {
  double s = 0.0;
  for (const double v : values) s += v;
  return s;
}

TEST(HostReferenceCompute, CompensatedSumRecoversWhatNaiveSummationLoses) {
  struct Case {
    const char* name;
    std::vector<double> values;
    double exact;
  };
  const Case cases[] = {
      // 1e16 + 1 rounds back to 1e16 (ulp 2, ties to even), so naive gives 0.
      {"1e16, 1, -1e16", {1e16, 1.0, -1e16}, 1.0},
      // Neumaier's example, which plain Kahan summation gets wrong (0).
      {"1, 1e100, 1, -1e100", {1.0, 1e100, 1.0, -1e100}, 2.0},
      {"1e16, 1, 1, -1e16", {1e16, 1.0, 1.0, -1e16}, 2.0},
      {"1e308, 1e292, -1e308", {1e308, 1e292, -1e308}, 1e292},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_NE(naive_sum(c.values), c.exact) << "the case should defeat naive summation";
    EXPECT_EQ(ref::compensated_sum(c.values), c.exact);
  }
  EXPECT_EQ(ref::compensated_sum({}), 0.0);
  EXPECT_EQ(ref::compensated_sum({-2.5}), -2.5);
}

TEST(HostReferenceCompute, CompensatedSumKeepsManySmallValuesAfterALargeOne) {
  // 1 followed by a million copies of 1e-16: each is below half an ulp of 1,
  // so naive summation returns exactly 1 and loses 1e-10 in total.
  std::vector<double> values(1'000'001, 1e-16);
  values[0] = 1.0;
  const long double exact = 1.0L + 1e6L * static_cast<long double>(1e-16);
  EXPECT_EQ(naive_sum(values), 1.0) << "the case should defeat naive summation";
  EXPECT_TRUE(within("1 + 1e6·1e-16", ref::compensated_sum(values), exact, 0.5L * kEps * exact + 1e-30L));
}

TEST(HostReferenceCompute, CompensatedSumOfRandomMixedSignsIsWithinAnUlp) {
  // Neumaier's bound: |error| ≤ ε|S| + O(nε²)Σ|x_i|. Random magnitudes over
  // 20 decades with both signs make Σ|x_i| ≫ |S| often enough to matter.
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> exponent(-10.0, 10.0);
    std::bernoulli_distribution negative(0.5);
    for (const std::size_t n : kSizes) {
      SCOPED_TRACE("seed=" + std::to_string(seed) + " n=" + std::to_string(n));
      std::vector<double> values(n);
      long double abs_sum = 0.0L;
      for (double& v : values) {
        v = std::pow(10.0, exponent(rng)) * (negative(rng) ? -1.0 : 1.0);
        abs_sum += std::fabs(v);
      }
      const long double exact = test::exact_sum_ld(values);
      const long double bound = kEps * std::fabs(exact) + 2.0L * n * kEps * kEps * abs_sum;
      ASSERT_TRUE(within("compensated_sum", ref::compensated_sum(values), exact, bound));
    }
  }
}

TEST(HostReferenceCompute, CompensatedSumOverflowAndInfinityAreNotNaN) {
  // Regression: the compensation term of an infinite or overflowing partial
  // sum is (v − t) + sum = inf − inf = NaN, which once poisoned the result.
  // A sum whose exact value overflows is +inf, and a sum with an infinite
  // term is that infinity; NaN only when +inf meets −inf. Naive summation
  // gets all of these right, so compensation must not break them.
  EXPECT_EQ(ref::compensated_sum({kInf}), kInf);
  EXPECT_EQ(ref::compensated_sum({1.0, kInf, 2.0}), kInf);
  EXPECT_EQ(ref::compensated_sum({-kInf, 1.0}), -kInf);
  EXPECT_EQ(ref::compensated_sum({1e308, 1e308}), kInf) << "2e308 overflows to +inf";
  EXPECT_TRUE(std::isnan(ref::compensated_sum({kInf, -kInf})));
}

}  // namespace
}  // namespace lossbench
