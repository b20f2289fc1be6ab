// The double-precision softmax reference: every gradient against central
// finite differences of the reference's own loss, lse and entropy against a
// long-double oracle, the degenerate rows, and PyTorch's semantics pinned by
// values torch 2.15.0 computed in float64 (CPU; rechecked 2026-12-07, all
// bit-for-bit; the torch code is beside each constant).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <span>
#include <vector>

#include "lossbench/core/error.hpp"
#include "lossbench/core/loss_kind.hpp"
#include "lossbench/reference/softmax_reference.hpp"
#include "reference_oracle.hpp"

namespace lossbench {
namespace {

namespace ref = reference;
using test::kSeeds;
using test::within;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::int64_t kClassCounts[] = {1, 2, 10, 33, 1000};

std::vector<double> random_logits(std::mt19937_64& rng, std::size_t classes) {
  std::normal_distribution<double> normal(0.0, 3.0);
  std::vector<double> z(classes);
  for (double& x : z) x = normal(rng);
  return z;
}

// A probability row with some exact zeros.
std::vector<double> random_targets(std::mt19937_64& rng, std::size_t classes) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> q(classes);
  double sum = 0;
  for (double& x : q) {
    x = uniform(rng) < 0.2 ? 0.0 : uniform(rng);
    sum += x;
  }
  if (sum == 0.0) q[0] = sum = 1.0;
  for (double& x : q) x /= sum;
  return q;
}

// Central differences of loss(z) in every coordinate (at most 40 of them for
// long rows), against the analytic gradient. With h = 1e-5 the truncation
// error is ~h²·f''' ≈ 1e-10 and the rounding error ~ε·|ℓ|/h ≈ 2e-11·|ℓ|.
void expect_gradient_matches_differences(const std::function<double(std::span<const double>)>& loss,
                                         std::vector<double> z, const std::vector<double>& grad) {
  const double h = 1e-5;
  const std::size_t stride = z.size() > 40 ? z.size() / 40 : 1;
  const double tolerance = 1e-8 * (1.0 + std::fabs(loss(z)));
  for (std::size_t j = 0; j < z.size(); j += stride) {
    const double saved = z[j];
    z[j] = saved + h;
    const double up = loss(z);
    z[j] = saved - h;
    const double down = loss(z);
    z[j] = saved;
    EXPECT_TRUE(within("dℓ/dz_j", grad[j], (up - down) / (2 * h), tolerance)) << "j=" << j;
  }
}

// ---------------------------------------------------------------------------
// Gradients against finite differences
// ---------------------------------------------------------------------------

TEST(HostReferenceSoftmax, HardLabelGradientMatchesFiniteDifferences) {
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    for (const std::int64_t v : kClassCounts) {
      for (const double eps : {0.0, 0.1}) {
        for (const double c : {0.0, 1e-4}) {
          SCOPED_TRACE(::testing::Message() << "seed=" << seed << " V=" << v << " eps=" << eps << " c=" << c);
          const std::vector<double> z = random_logits(rng, static_cast<std::size_t>(v));
          const std::int64_t t = std::uniform_int_distribution<std::int64_t>(0, v - 1)(rng);
          const ref::SoftmaxCeOptions options{eps, c, -100};
          const auto loss = [&](std::span<const double> x) { return ref::softmax_ce_hard_row(x, t, options).loss; };
          expect_gradient_matches_differences(loss, z, ref::softmax_ce_hard_row(z, t, options).grad);
        }
      }
    }
  }
}

TEST(HostReferenceSoftmax, SoftTargetAndKlGradientsMatchFiniteDifferences) {
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    for (const std::int64_t v : kClassCounts) {
      SCOPED_TRACE(::testing::Message() << "seed=" << seed << " V=" << v);
      const std::vector<double> z = random_logits(rng, static_cast<std::size_t>(v));
      const std::vector<double> q = random_targets(rng, static_cast<std::size_t>(v));
      const auto soft = [&](std::span<const double> x) { return ref::softmax_ce_soft_row(x, q).loss; };
      expect_gradient_matches_differences(soft, z, ref::softmax_ce_soft_row(z, q).grad);
      const auto kl = [&](std::span<const double> x) { return ref::kl_div_row(x, q).loss; };
      expect_gradient_matches_differences(kl, z, ref::kl_div_row(z, q).grad);
    }
  }
}

// `rows` rows of random logits and their random soft targets, row-major.
std::pair<std::vector<double>, std::vector<double>> random_batch(std::mt19937_64& rng, std::int64_t v, int rows) {
  std::vector<double> z;
  std::vector<double> q;
  for (int i = 0; i < rows; ++i) {
    const auto row = random_logits(rng, v);
    const auto target = random_targets(rng, v);
    z.insert(z.end(), row.begin(), row.end());
    q.insert(q.end(), target.begin(), target.end());
  }
  return {z, q};
}

// The batch gradient is that of the reduced loss: differences of the reduced
// loss over the whole (N, V) batch, with an ignored row and every reduction.
TEST(HostReferenceSoftmax, BatchGradientIsThatOfTheReducedLoss) {
  std::mt19937_64 rng(kSeeds[1]);
  const std::int64_t v = 7;
  const auto [z, q] = random_batch(rng, v, 4);
  const std::vector<std::int64_t> labels = {3, -100, 0, 6};
  const ref::SoftmaxCeOptions options{0.1, 1e-4, -100};
  for (const Reduction r : {Reduction::sum, Reduction::mean}) {
    const auto loss = [&](std::span<const double> x) { return *ref::softmax_ce_hard(x, v, labels, options, r).reduced_loss; };
    expect_gradient_matches_differences(loss, z, ref::softmax_ce_hard(z, v, labels, options, r).grad);
    const auto soft = [&](std::span<const double> x) { return *ref::softmax_ce_soft(x, v, q, r).reduced_loss; };
    expect_gradient_matches_differences(soft, z, ref::softmax_ce_soft(z, v, q, r).grad);
  }
  for (const auto r : {ref::KlReduction::sum, ref::KlReduction::mean, ref::KlReduction::batchmean}) {
    const auto kl = [&](std::span<const double> x) { return *ref::kl_div(x, v, q, r).reduced_loss; };
    expect_gradient_matches_differences(kl, z, ref::kl_div(z, v, q, r).grad);
  }
}

// With class weights (a zero weight among them), hard labels with and
// without smoothing and soft targets: the gradient is still that of the
// reduced loss, whose mean divides by the counted rows' weights.
TEST(HostReferenceSoftmax, ClassWeightedGradientIsThatOfTheReducedLoss) {
  std::mt19937_64 rng(kSeeds[2]);
  const std::int64_t v = 5;
  const auto [z, q] = random_batch(rng, v, 4);
  const std::vector<double> w = {0.5, 0.0, 2.0, 1.0, 3.0};
  const std::vector<std::int64_t> labels = {3, -100, 1, 4};
  for (const double eps : {0.0, 0.2}) {
    ref::SoftmaxCeOptions options{eps, 0.0, -100};
    options.class_weight = w;
    for (const Reduction r : {Reduction::sum, Reduction::mean}) {
      const auto loss = [&](std::span<const double> x) {
        return *ref::softmax_ce_hard(x, v, labels, options, r).reduced_loss;
      };
      expect_gradient_matches_differences(loss, z, ref::softmax_ce_hard(z, v, labels, options, r).grad);
      const auto soft = [&](std::span<const double> x) { return *ref::softmax_ce_soft(x, v, q, r, w).reduced_loss; };
      expect_gradient_matches_differences(soft, z, ref::softmax_ce_soft(z, v, q, r, w).grad);
    }
  }
  // The mean's divisor: Σ w_t over rows 0, 2, 3 = 1 + 0 + 3.
  ref::SoftmaxCeOptions options;
  options.class_weight = w;
  const auto sum = ref::softmax_ce_hard(z, v, labels, options, Reduction::sum);
  const auto mean = ref::softmax_ce_hard(z, v, labels, options, Reduction::mean);
  EXPECT_NEAR(*mean.reduced_loss, *sum.reduced_loss / 4.0, 1e-15);
  EXPECT_EQ(mean.counted_rows, 3);
  // Rows that weigh nothing: 0/0, and a zero gradient.
  const auto nothing = ref::softmax_ce_hard(z, v, std::vector<std::int64_t>{1, -100, 1, -100}, options, Reduction::mean);
  EXPECT_TRUE(std::isnan(*nothing.reduced_loss));
  for (const double g : nothing.grad) EXPECT_EQ(g, 0.0);
  options.z_loss = 1e-3;
  EXPECT_THROW(ref::softmax_ce_hard(z, v, labels, options, Reduction::mean), InputError);
  EXPECT_THROW(ref::softmax_ce_soft(z, v, q, Reduction::mean, std::vector<double>(4, 1.0)), InputError);
}

// ---------------------------------------------------------------------------
// lse and entropy against long double; extreme and degenerate rows
// ---------------------------------------------------------------------------

TEST(HostReferenceSoftmax, LseAndEntropyMatchLongDouble) {
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    for (const std::int64_t v : kClassCounts) {
      std::vector<double> z = random_logits(rng, static_cast<std::size_t>(v));
      z[0] += 1e4;  // far from 0: lse must still be exact relative to its size
      long double max = z[0];
      for (const double x : z) max = std::fmax(max, static_cast<long double>(x));
      long double s = 0;
      for (const double x : z) s += std::exp(static_cast<long double>(x) - max);
      const long double lse = max + std::log(s);
      long double h = 0;
      for (const double x : z) {
        const long double log_p = static_cast<long double>(x) - lse;
        h -= std::exp(log_p) * log_p;
      }
      const ref::SoftmaxRow row = ref::softmax_row(z);
      EXPECT_TRUE(within("lse", row.lse, lse, 4 * test::kEps * std::fabs(lse))) << "V=" << v;
      EXPECT_TRUE(within("entropy", row.entropy, h, 1e-14 * (1.0L + h))) << "V=" << v;
    }
  }
}

TEST(HostReferenceSoftmax, AllMinusInfinityRowIsNaNAsInPyTorch) {
  const std::vector<double> z(3, -kInf);
  const ref::SoftmaxRow row = ref::softmax_row(z);
  EXPECT_EQ(row.lse, -kInf);
  EXPECT_TRUE(std::isnan(row.entropy));
  const ref::RowLossAndGrad r = ref::softmax_ce_hard_row(z, 0, {});
  EXPECT_TRUE(std::isnan(r.loss));
  for (const double g : r.grad) EXPECT_TRUE(std::isnan(g));
}

// torch: F.cross_entropy(torch.tensor([[-inf, 2., -inf]]*2, dtype=float64,
// requires_grad=True), torch.tensor([1, 0]), reduction="none") →
// loss [-0.0, inf], gradient [[0, 0, 0], [-1, 1, 0]].
TEST(HostReferenceSoftmax, RowOfMinusInfinityExceptOne) {
  const std::vector<double> z = {-kInf, 2.0, -kInf};
  const ref::RowLossAndGrad hit = ref::softmax_ce_hard_row(z, 1, {});
  EXPECT_EQ(hit.loss, 0.0);
  EXPECT_EQ(hit.grad, (std::vector<double>{0.0, 0.0, 0.0}));
  const ref::RowLossAndGrad miss = ref::softmax_ce_hard_row(z, 0, {});
  EXPECT_EQ(miss.loss, kInf);
  EXPECT_EQ(miss.grad, (std::vector<double>{-1.0, 1.0, 0.0}));
  // With smoothing every class is a target: lse − mean z = +inf (torch: inf).
  EXPECT_EQ(ref::softmax_ce_hard_row(z, 1, {0.1, 0.0, -100}).loss, kInf);
  // q_j = 0 at z_j = −inf contributes 0 (torch gives NaN: 0·(−inf)); the
  // gradient is torch's [0, 0.2310585786300049, −0.2310585786300049].
  const std::vector<double> zz = {-kInf, 2.0, 1.0};
  const std::vector<double> q = {0.0, 0.5, 0.5};
  const ref::RowLossAndGrad soft = ref::softmax_ce_soft_row(zz, q);
  EXPECT_TRUE(std::isfinite(soft.loss));
  EXPECT_TRUE(within("soft grad", soft.grad[1], 0.2310585786300049L, 1e-15));
  EXPECT_EQ(soft.grad[0], 0.0);
  EXPECT_TRUE(std::isfinite(ref::kl_div_row(zz, q).loss));
}

TEST(HostReferenceSoftmax, BadInputsNameTheProblem) {
  const std::vector<double> z(6, 0.0);
  EXPECT_THROW(ref::softmax_ce_hard(z, 3, std::vector<std::int64_t>{0, 3}, {}, Reduction::mean), InputError);
  EXPECT_THROW(ref::softmax_ce_hard(z, 4, std::vector<std::int64_t>{0, 1}, {}, Reduction::mean), InputError);
  EXPECT_THROW(ref::softmax_ce_hard(z, 0, std::vector<std::int64_t>{}, {}, Reduction::mean), InputError);
  EXPECT_THROW(ref::softmax_ce_soft(z, 3, std::vector<double>(5, 0.0), Reduction::mean), InputError);
}

// ---------------------------------------------------------------------------
// PyTorch's semantics, pinned. The batch below, in float64:
//   z = torch.tensor([[1.0, -2.0, 0.5, 3.0, -1.0], [0.0]*5, [2.0, 1.0, -3.0, 0.25, 4.0]],
//                    dtype=torch.float64, requires_grad=True)
//   t = torch.tensor([3, -100, 1])
//   q = torch.tensor([[0.1, 0.2, 0.3, 0.4, 0.0], [0.5, 0.5, 0.0, 0.0, 0.0], [0.0]*4 + [1.0]],
//                    dtype=torch.float64)
// Each value: l = <the call>; l.sum().backward(); then l and z.grad.
// ---------------------------------------------------------------------------

const std::vector<double> kZ = {1.0, -2.0, 0.5, 3.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 1.0, -3.0, 0.25, 4.0};
const std::vector<std::int64_t> kLabels = {3, -100, 1};
const std::vector<double> kQ = {0.1, 0.2, 0.3, 0.4, 0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0};
constexpr double kPinned = 1e-14;  // relative: the reference and torch differ in summation order only

void expect_values(const char* what, const std::vector<double>& got, const std::vector<double>& torch) {
  ASSERT_EQ(got.size(), torch.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_TRUE(within(what, got[i], torch[i], kPinned * (1.0 + std::fabs(torch[i])))) << "index " << i;
  }
}

// F.cross_entropy(z, t, ignore_index=-100, label_smoothing=0.1, reduction="mean"): the mean
// divides by the 2 rows not ignored; the ignored row has loss 0 and gradient 0.
TEST(HostReferenceSoftmaxPyTorch, CrossEntropyLabelSmoothingIgnoreIndexMean) {
  const auto r = ref::softmax_ce_hard(kZ, 5, kLabels, {0.1, 0.0, -100}, Reduction::mean);
  EXPECT_EQ(r.counted_rows, 2);
  expect_values("loss", {*r.reduced_loss}, {1.846177236440341});
  expect_values("grad", r.grad,
                {0.044462024010965155, -0.007288495487113832, 0.023032887352655976, -0.05757704932167046,
                 -0.002629366554836833, 0.0, 0.0, 0.0, 0.0, 0.0, 0.04594438500312833, -0.43941921090836916,
                 -0.00962304969895249, -0.00027832360409644694, 0.4033761992082897});
}

// The same with label_smoothing=0.0, reduction="mean"; and reduction="none" with 0.1.
TEST(HostReferenceSoftmaxPyTorch, CrossEntropyPlainMeanAndSmoothedNone) {
  const auto plain = ref::softmax_ce_hard(kZ, 5, kLabels, {}, Reduction::mean);
  expect_values("loss", {*plain.reduced_loss}, {1.703677236440341});
  const auto none = ref::softmax_ce_hard(kZ, 5, kLabels, {0.1, 0.0, -100}, Reduction::none);
  expect_values("losses", none.losses, {0.4871044467741764, 0.0, 3.205250026106506});
  const auto sum = ref::softmax_ce_hard(kZ, 5, kLabels, {0.1, 0.0, -100}, Reduction::sum);
  expect_values("sum", {*sum.reduced_loss}, {3.692354472880682});
}

// F.cross_entropy(torch.zeros(2, 3, dtype=torch.float64, requires_grad=True),
// torch.tensor([-100, -100]), reduction="mean") → nan, gradient all 0.
TEST(HostReferenceSoftmaxPyTorch, CrossEntropyEveryRowIgnoredIsNaNWithZeroGradient) {
  const auto r = ref::softmax_ce_hard(std::vector<double>(6, 0.0), 3, std::vector<std::int64_t>{-100, -100}, {},
                                      Reduction::mean);
  EXPECT_TRUE(std::isnan(*r.reduced_loss));
  EXPECT_EQ(r.grad, std::vector<double>(6, 0.0));
}

// F.cross_entropy(z, q, reduction="mean") divides by N = 3; reduction="none" per row.
TEST(HostReferenceSoftmaxPyTorch, CrossEntropySoftTargets) {
  const auto mean = ref::softmax_ce_soft(kZ, 5, kQ, Reduction::mean);
  expect_values("loss", {*mean.reduced_loss}, {1.3222641284382608});
  expect_values("grad", mean.grad,
                {0.002974682673976776, -0.06485899699140922, -0.07797807509822934, 0.13494863378555308,
                 0.004913755630108779, -0.09999999999999999, -0.09999999999999999, 0.06666666666666667,
                 0.06666666666666667, 0.06666666666666667, 0.03729625666875222, 0.013720526061087245,
                 0.0002513002006983402, 0.006481117597269035, -0.057749200527806854});
  const auto none = ref::softmax_ce_soft(kZ, 5, kQ, Reduction::none);
  expect_values("losses", none.losses, {2.1671044467741765, 1.6094379124341003, 0.1902500261065058});
}

// F.cross_entropy(z, q, label_smoothing=0.1, reduction="sum") = 4.356792385314782:
// PyTorch smooths soft targets as q ← (1 − ε)·q + ε/V, which the caller does here.
TEST(HostReferenceSoftmaxPyTorch, SoftTargetSmoothingIsTheCallersMixture) {
  std::vector<double> smoothed = kQ;
  for (double& x : smoothed) x = 0.9 * x + 0.1 / 5.0;
  const auto sum = ref::softmax_ce_soft(kZ, 5, smoothed, Reduction::sum);
  expect_values("loss", {*sum.reduced_loss}, {4.356792385314782});
  expect_values("grad", sum.grad,
                {-0.001075951978069676, -0.19457699097422768, -0.22393422529468807, 0.42484590135665923,
                 -0.005258733109673662, -0.27, -0.27, 0.18000000000000002, 0.18000000000000002,
                 0.18000000000000002, 0.09188877000625666, 0.021161578183261736, -0.01924609939790498,
                 -0.0005566472081928939, -0.0932476015834206});
}

// F.kl_div(F.log_softmax(z, dim=-1), q, reduction=R, log_target=False) for every R:
// none is elementwise (N·V values), mean divides by N·V = 15, batchmean by N = 3.
TEST(HostReferenceSoftmaxPyTorch, KlDivAllReductions) {
  const auto none = ref::kl_div(kZ, 5, kQ, ref::KlReduction::none);
  expect_values("none", none.losses,
                {-0.008548064621986928, 0.7215333068680152, 0.4539394927344721, -0.27967451403999144, 0.0,
                 0.4581453659370775, 0.4581453659370775, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1902500261065058});
  const std::vector<double> sum_grad = {
      0.008924048021930309, -0.19457699097422768, -0.23393422529468805, 0.4048459013566591, 0.014741266890326335,
      -0.3, -0.3, 0.2, 0.2, 0.2, 0.11188877000625666, 0.041161578183261736, 0.0007539006020950207,
      0.019443352791807107, -0.17324760158342056};
  expect_values("none grad", none.grad, sum_grad);
  const auto sum = ref::kl_div(kZ, 5, kQ, ref::KlReduction::sum);
  expect_values("sum", {*sum.reduced_loss}, {1.9937909789211696});
  expect_values("sum grad", sum.grad, sum_grad);
  const auto mean = ref::kl_div(kZ, 5, kQ, ref::KlReduction::mean);
  expect_values("mean", {*mean.reduced_loss}, {0.13291939859474464});
  EXPECT_TRUE(within("mean grad[0]", mean.grad[0], 0.0005949365347953537L, 1e-18));
  const auto batchmean = ref::kl_div(kZ, 5, kQ, ref::KlReduction::batchmean);
  expect_values("batchmean", {*batchmean.reduced_loss}, {0.6645969929737232});
  expect_values("batchmean grad", batchmean.grad,
                {0.002974682673976776, -0.06485899699140922, -0.07797807509822934, 0.13494863378555308,
                 0.004913755630108779, -0.09999999999999999, -0.09999999999999999, 0.06666666666666667,
                 0.06666666666666667, 0.06666666666666667, 0.03729625666875222, 0.013720526061087245,
                 0.0002513002006983402, 0.006481117597269035, -0.057749200527806854});
}

// p = F.softmax(z, -1); -(p * F.log_softmax(z, -1)).sum(-1)
TEST(HostReferenceSoftmaxPyTorch, Entropy) {
  const auto r = ref::softmax_ce_hard(kZ, 5, kLabels, {}, Reduction::sum);
  expect_values("entropy", r.entropy, {0.686197092271484, 1.6094379124341005, 0.6157021778527461});
}

}  // namespace
}  // namespace lossbench
