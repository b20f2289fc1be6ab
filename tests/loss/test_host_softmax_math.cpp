// The float32 softmax math of softmax_math.cuh against the double-precision
// reference, every output within the bound of softmax_bounds.hpp: random and
// extreme rows (|z| up to 1e4, −inf except one, equal, confident, far from
// 0), hard labels with ε ∈ {0, 0.1} and c ∈ {0, 1e-4}, soft and one-hot
// targets, KL, entropy; reduced one logit at a time and as a pairwise tree,
// and in random splits and orders of partial states. Prints the worst error
// of each output in units of its bound (the figures the README quotes).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "kernels/loss/softmax_math.cuh"
#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/loss/softmax_bounds.hpp"
#include "lossbench/reference/softmax_reference.hpp"
#include "verify/softmax_logit_rows.hpp"

namespace lossbench {
namespace {

namespace k = kernels;
namespace ref = reference;
using detail::kMinusInf;
using detail::kRowKinds;
using detail::make_row;
using detail::RowKind;

constexpr std::uint64_t kSeeds[] = {1, 20261124, 424242};
constexpr std::int64_t kClassCounts[] = {1, 2, 10, 33, 1000};


const char* name_of(RowKind kind) {
  switch (kind) {
    case RowKind::normal: return "normal(0, 3)";
    case RowKind::wide: return "uniform(-1e4, 1e4)";
    case RowKind::minus_inf_but_one: return "-inf except one";
    case RowKind::minus_inf_but_few: return "-inf except a few";
    case RowKind::equal: return "all equal";
    case RowKind::confident: return "one at +40";
    case RowKind::far_from_zero: return "1e4 + normal(0, 3)";
  }
  return "?";
}


// Soft targets: a probability row with exact zeros, or one-hot.
std::vector<float> make_targets(std::size_t v, bool one_hot, std::mt19937_64& rng) {
  std::vector<float> q(v, 0.0f);
  if (one_hot) {
    q[std::uniform_int_distribution<std::size_t>(0, v - 1)(rng)] = 1.0f;
    return q;
  }
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  float sum = 0.0f;
  for (float& x : q) {
    x = uniform(rng) < 0.3f ? 0.0f : uniform(rng);
    sum += x;
  }
  if (sum == 0.0f) q[0] = sum = 1.0f;
  for (float& x : q) x /= sum;
  return q;
}

std::vector<double> widen(const std::vector<float>& x) { return {x.begin(), x.end()}; }

// A partial state and the most combines any of its logits went through.
struct Partial {
  k::SoftmaxRowState state;
  std::int64_t depth = 0;
};

Partial combine(const Partial& a, const Partial& b) {
  return {k::softmax_combine(a.state, b.state), std::max(a.depth, b.depth) + 1};
}

Partial sequential(const std::vector<float>& z, const std::vector<float>& q) {
  Partial p;
  for (std::size_t j = 0; j < z.size(); ++j) p = combine(p, {k::softmax_single(z[j], q[j]), 0});
  return p;
}

Partial pairwise(const std::vector<float>& z, const std::vector<float>& q) {
  std::vector<Partial> level;
  for (std::size_t j = 0; j < z.size(); ++j) level.push_back({k::softmax_single(z[j], q[j]), 0});
  while (level.size() > 1) {
    std::vector<Partial> next;
    for (std::size_t j = 0; j + 1 < level.size(); j += 2) next.push_back(combine(level[j], level[j + 1]));
    if (level.size() % 2 == 1) next.push_back(level.back());
    level = std::move(next);
  }
  return level.front();
}

// Random chunks, each pushed in a random order, then combined in a random order.
Partial random_split(const std::vector<float>& z, const std::vector<float>& q, std::mt19937_64& rng) {
  std::vector<std::size_t> order(z.size());
  for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<Partial> parts;
  std::size_t at = 0;
  while (at < order.size()) {
    const std::size_t length = std::uniform_int_distribution<std::size_t>(1, 64)(rng);
    Partial p;
    for (std::size_t n = 0; n < length && at < order.size(); ++n, ++at) {
      p = combine(p, {k::softmax_single(z[order[at]], q[order[at]]), 0});
    }
    parts.push_back(p);
  }
  while (parts.size() > 1) {
    const std::size_t i = std::uniform_int_distribution<std::size_t>(0, parts.size() - 2)(rng);
    parts[i] = combine(parts[i], parts[i + 1]);
    parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(i) + 1);
  }
  return parts.front();
}

// The worst error of each output, in units of its bound.
struct Worst {
  std::map<std::string, double> units;
  void record(const std::string& what, double got, double expected, double bound, const std::string& where) {
    const double u = error_in_bound_units(got, expected, bound);
    EXPECT_LE(u, 1.0) << what << " at " << where << ": got " << got << " reference " << expected << " bound "
                      << bound;
    units[what] = std::max(units[what], u);
  }
  void print(const char* title) const {
    std::printf("%s, worst error in units of the bound:\n", title);
    for (const auto& [what, u] : units) std::printf("  %-22s %.3g\n", what.c_str(), u);
  }
};

// Every output of the float math for one row, reduced as `reduce` does.
template <class Reduce>
void check_row(const std::vector<float>& z, const std::vector<float>& q, Reduce reduce, Worst& worst,
               const std::string& where, std::mt19937_64& rng) {
  const Partial partial = reduce(z, q);
  const k::SoftmaxRowState& state = partial.state;
  const k::LogSumExp lse = k::softmax_lse(state);
  const std::vector<double> zd = widen(z);
  const std::vector<double> qd = widen(q);
  const ref::SoftmaxRow row = ref::softmax_row(zd);
  const auto classes = static_cast<std::int64_t>(z.size());
  const SoftmaxBoundRow bound_row{classes, partial.depth, row.lse, row.log_s};

  worst.record("lse", lse.value(), row.lse, softmax_lse_error_bound(bound_row), where);
  worst.record("entropy", k::softmax_entropy(state, lse), row.entropy,
               softmax_entropy_error_bound(bound_row, row.entropy, row.gap_second_moment), where);

  // Hard labels: a finite class as target (a −inf one gives +inf on both sides).
  std::vector<std::size_t> finite;
  for (std::size_t j = 0; j < z.size(); ++j) {
    if (std::isfinite(z[j])) finite.push_back(j);
  }
  const std::size_t t = finite[std::uniform_int_distribution<std::size_t>(0, finite.size() - 1)(rng)];
  for (const float eps : {0.0f, 0.1f}) {
    for (const float c : {0.0f, 1e-4f}) {
      const k::SoftmaxCeParams params{eps, c};
      const ref::RowLossAndGrad r = ref::softmax_ce_hard_row(zd, static_cast<std::int64_t>(t), {eps, c, -100});
      worst.record("hard loss", k::softmax_ce_hard_loss(state, lse, z[t], params), r.loss,
                   softmax_ce_hard_loss_error_bound(bound_row, r.loss, c), where);
      for (std::size_t j = 0; j < z.size(); ++j) {
        const double share = (j == t ? 1.0 - eps : 0.0) + static_cast<double>(eps) / static_cast<double>(classes);
        const SoftmaxGradTerms terms{row.prob[j], row.log_prob[j], 1.0 + 2.0 * c * row.lse, share, c, false};
        worst.record("hard grad", k::softmax_ce_hard_grad(lse, z[j], j == t, static_cast<float>(classes), params),
                     r.grad[j], softmax_grad_error_bound(bound_row, terms, r.grad[j]), where);
      }
    }
  }

  const ref::RowLossAndGrad soft = ref::softmax_ce_soft_row(zd, qd);
  const ref::KlRow kl = ref::kl_div_row(zd, qd);
  double q_sum = 0;
  for (const double x : qd) q_sum += x;
  worst.record("soft loss", k::softmax_ce_soft_loss(state, lse), soft.loss,
               softmax_ce_soft_loss_error_bound(bound_row, soft.loss, q_sum), where);
  worst.record("kl row", k::kl_div_row_loss(state, lse), kl.loss,
               kl_div_row_error_bound(bound_row, kl.loss, soft.loss, q_sum), where);
  for (std::size_t j = 0; j < z.size(); ++j) {
    const SoftmaxGradTerms terms{row.prob[j], row.log_prob[j], q_sum, qd[j], 0.0, true};
    worst.record("soft grad", k::softmax_soft_grad(lse, z[j], q[j], state.q_sum), soft.grad[j],
                 softmax_grad_error_bound(bound_row, terms, soft.grad[j]), where);
    worst.record("kl element", k::kl_div_element(lse, z[j], q[j]), kl.elements[j],
                 kl_div_element_error_bound(bound_row, kl.elements[j], qd[j], row.log_prob[j]), where);
  }
}

template <class Reduce>
Worst sweep(Reduce reduce) {
  Worst worst;
  for (const std::uint64_t seed : kSeeds) {
    std::mt19937_64 rng(seed);
    for (const std::int64_t v : kClassCounts) {
      for (const RowKind kind : kRowKinds) {
        for (const bool one_hot : {false, true}) {
          const auto classes = static_cast<std::size_t>(v);
          const std::vector<float> z = make_row(kind, classes, rng);
          const std::vector<float> q = make_targets(classes, one_hot, rng);
          const std::string where = std::string(name_of(kind)) + " V=" + std::to_string(v) +
                                    " seed=" + std::to_string(seed) + (one_hot ? " one-hot" : " soft");
          check_row(z, q, reduce, worst, where, rng);
        }
      }
    }
  }
  return worst;
}

TEST(SoftmaxMath, SequentialPassWithinBounds) { sweep(sequential).print("one logit at a time (k = V)"); }

TEST(SoftmaxMath, PairwiseTreeWithinBounds) { sweep(pairwise).print("pairwise tree (k = ceil(log2 V))"); }

TEST(SoftmaxMath, RandomSplitsAndOrdersWithinBoundsAndOfTheOnePassLse) {
  std::mt19937_64 split_rng(7);
  Worst worst = sweep([&](const std::vector<float>& z, const std::vector<float>& q) {
    return random_split(z, q, split_rng);
  });
  // lse of any split against the one-pass lse: within the sum of both bounds.
  std::mt19937_64 rng(11);
  for (const std::int64_t v : {2, 10, 33, 1000, 4097}) {
    for (const RowKind kind : kRowKinds) {
      const std::vector<float> z = make_row(kind, static_cast<std::size_t>(v), rng);
      const std::vector<float> q(z.size(), 0.0f);
      const ref::SoftmaxRow row = ref::softmax_row(widen(z));
      const Partial one_pass = sequential(z, q);
      const double one_pass_bound = softmax_lse_error_bound({v, one_pass.depth, row.lse, row.log_s});
      for (int trial = 0; trial < 20; ++trial) {
        const Partial split = random_split(z, q, rng);
        const double bound = one_pass_bound + softmax_lse_error_bound({v, split.depth, row.lse, row.log_s});
        worst.record("lse split vs one-pass", k::softmax_lse(split.state).value(),
                     k::softmax_lse(one_pass.state).value(), bound,
                     std::string(name_of(kind)) + " V=" + std::to_string(v));
      }
    }
  }
  worst.print("random splits and orders");
}

// The row kernels' branch-free one-logit state about a known max is
// softmax_rescale(softmax_single(z, q), m), bit for bit (NaN: both NaN).
TEST(SoftmaxMath, SingleAboutAKnownMaxIsTheRescaledSingle) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> logits = {-inf, -1e4f, -104.0f, -88.5f, -3.25f, -1e-40f, 0.0f, 1.5f, 87.0f, 1e4f};
  const std::vector<float> above = {0.0f, 1e-6f, 0.5f, 20.0f, 103.0f, 200.0f, 2e4f, inf};
  int checked = 0;
  for (const float z : logits) {
    for (const float gap : above) {
      const float m = z == -inf ? (gap == 0.0f ? -inf : gap) : z + gap;
      if (m == inf) continue;
      for (const float q : {0.0f, 0.25f, 1.0f}) {
        const k::SoftmaxRowState got = k::softmax_single_about(z, q, m);
        const k::SoftmaxRowState want = k::softmax_rescale(k::softmax_single(z, q), m);
        EXPECT_EQ(std::memcmp(&got, &want, sizeof(got)), 0)
            << "z=" << z << " q=" << q << " m=" << m << ": s " << got.s << " vs " << want.s << ", gap " << got.gap
            << " vs " << want.gap << ", tilt " << got.tilt << " vs " << want.tilt << ", q_gap " << got.q_gap
            << " vs " << want.q_gap;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 200);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::isnan(k::softmax_single_about(nan, 0.0f, 1.0f).s));
  EXPECT_TRUE(std::isnan(k::softmax_single_about(nan, 0.0f, -inf).s));
}

TEST(SoftmaxMath, AllMinusInfinityRowIsNaN) {
  const std::vector<float> z(4, kMinusInf);
  const k::SoftmaxRowState state = sequential(z, std::vector<float>(4, 0.0f)).state;
  const k::LogSumExp lse = k::softmax_lse(state);
  EXPECT_EQ(lse.value(), kMinusInf);
  EXPECT_TRUE(std::isnan(k::softmax_ce_hard_loss(state, lse, z[0], {})));
  EXPECT_TRUE(std::isnan(k::softmax_ce_hard_grad(lse, z[0], true, 4.0f, {})));
  EXPECT_TRUE(std::isnan(k::softmax_entropy(state, lse)));
}

TEST(SoftmaxMath, NaNLogitMakesTheRowNaN) {
  for (const std::size_t at : {0u, 1u, 2u}) {
    std::vector<float> z = {1.0f, 2.0f, 3.0f};
    z[at] = std::numeric_limits<float>::quiet_NaN();
    const std::vector<float> q(3, 0.0f);
    for (const Partial& p : {sequential(z, q), pairwise(z, q)}) {
      const k::LogSumExp lse = k::softmax_lse(p.state);
      EXPECT_TRUE(std::isnan(k::softmax_ce_hard_loss(p.state, lse, 3.0f, {}))) << "NaN at " << at;
    }
  }
}

// Rows whose label is ignore_index: the caller skips them and the mean
// divides by the others (the float rows summed in double, as a kernel's
// cross-tile reduction will).
TEST(SoftmaxMath, IgnoredRowsLeaveTheMeanOfTheOthers) {
  std::mt19937_64 rng(3);
  const std::int64_t v = 33;
  std::vector<float> logits;
  for (int i = 0; i < 6; ++i) {
    const auto row = make_row(RowKind::normal, v, rng);
    logits.insert(logits.end(), row.begin(), row.end());
  }
  const std::vector<std::int64_t> labels = {4, -100, 0, -100, 32, 7};
  const k::SoftmaxCeParams params{0.1f, 1e-4f};
  const auto expected =
      ref::softmax_ce_hard(widen(logits), v, labels, {0.1f, 1e-4f, -100}, Reduction::mean);
  double sum = 0;
  double bound = 0;
  std::int64_t counted = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == -100) continue;
    const std::vector<float> z(logits.begin() + static_cast<std::ptrdiff_t>(i * v),
                               logits.begin() + static_cast<std::ptrdiff_t>((i + 1) * v));
    const Partial p = sequential(z, std::vector<float>(z.size(), 0.0f));
    const k::LogSumExp lse = k::softmax_lse(p.state);
    const auto t = static_cast<std::size_t>(labels[i]);
    const double loss = k::softmax_ce_hard_loss(p.state, lse, z[t], params);
    const ref::SoftmaxRow row = ref::softmax_row(widen(z));
    sum += loss;
    bound += softmax_ce_hard_loss_error_bound({v, p.depth, row.lse, row.log_s}, loss, 1e-4f);
    ++counted;
  }
  EXPECT_EQ(counted, expected.counted_rows);
  EXPECT_LE(error_in_bound_units(sum / static_cast<double>(counted), *expected.reduced_loss,
                                 bound / static_cast<double>(counted)),
            1.0);
}

}  // namespace
}  // namespace lossbench
