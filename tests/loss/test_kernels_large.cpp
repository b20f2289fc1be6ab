// One fused loss call with n > 2^31 elements (f16, about 12 GiB of host
// memory), emulated: 64-bit indexing end to end, the reduction over 2^19
// tiles, every gradient element written. Labelled "large" and left out of
// the default test run for its time and memory; run it with
//   ctest --test-dir build/default -L large
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <new>
#include <ranges>
#include <vector>

#include "lossbench/loss/fused_loss.hpp"
#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"

namespace lossbench {
namespace {

// Inputs come from small tables, element i holding logit i mod 1021 and
// target (i / 7) mod 509, so that the reference and the bound of every
// element are computed once per table pair and the check streams.
constexpr int kLogitTable = 1021;
constexpr int kTargetTable = 509;
constexpr int kTargetRun = 7;

// Walks i = 0, 1, 2, ... keeping element i's two table indices by counting:
// three 64-bit divisions an element cost more than the emulated kernel.
struct TableWalk {
  int logit = 0;
  int target = 0;
  int run = 0;
  int pair() const { return logit * kTargetTable + target; }
  void next() {
    if (++logit == kLogitTable) logit = 0;
    if (++run == kTargetRun) {
      run = 0;
      if (++target == kTargetTable) target = 0;
    }
  }
};

TEST(KernelsLarge, MoreThanTwoToTheThirtyOneElements) {
  const std::int64_t n = (std::int64_t{1} << 31) + 4099;
  std::vector<std::uint16_t> logit_bits(kLogitTable), target_bits(kTargetTable);
  for (int k = 0; k < kLogitTable; ++k) logit_bits[k] = double_to_half(-30.0 + 60.0 * k / kLogitTable).bits;
  for (int k = 0; k < kTargetTable; ++k) target_bits[k] = double_to_half(k % 3 == 2 ? k / double(kTargetTable) : k % 3).bits;

  std::unique_ptr<std::uint16_t[]> z, y, g;
  try {
    z.reset(new std::uint16_t[n]);
    y.reset(new std::uint16_t[n]);
    g.reset(new std::uint16_t[n]);
  } catch (const std::bad_alloc&) {
    GTEST_SKIP() << "cannot allocate 3 × " << n * 2 / (1 << 20) << " MiB of host memory for the n > 2^31 case";
  }
  for (TableWalk at; const std::int64_t i : std::views::iota(std::int64_t{0}, n)) {
    z[i] = logit_bits[at.logit];
    y[i] = target_bits[at.target];
    g[i] = 0x7fff;  // NaN poison
    at.next();
  }
  double reduced = 0;
  FusedLossCall call;
  call.loss = Loss::bce;
  call.reduction = Reduction::mean;
  call.dtype = DType::f16;
  call.logits = z.get();
  call.targets = y.get();
  call.grad = g.get();
  call.reduced_loss = &reduced;
  call.n = n;
  std::vector<unsigned char> workspace(fused_loss_workspace_size(call.n, call.reduction, Backend::emu), 0);
  fused_loss(call, Backend::emu, workspace.data(), workspace.size());

  // The reference, the expected gradient and its bound per table pair; then
  // stream over the elements.
  const double multiplier = 1.0 / static_cast<double>(n);
  std::vector<reference::LossAndGrad> ref(kLogitTable * kTargetTable);
  std::vector<double> expected(ref.size()), bound(ref.size());
  for (int a = 0; a < kLogitTable; ++a) {
    for (int b = 0; b < kTargetTable; ++b) {
      const int pair = a * kTargetTable + b;
      const double zk = half_to_float(Half{logit_bits[a]});
      const double yk = half_to_float(Half{target_bits[b]});
      ref[pair] = reference::bce_with_logits(zk, yk);
      expected[pair] = ref[pair].grad * multiplier;
      bound[pair] = grad_error_bound(ElementBoundInput{Loss::bce, DType::f16, zk, yk, 1.0, multiplier}, expected[pair]);
    }
  }
  std::vector<double> per_pair_count(ref.size(), 0.0);
  for (TableWalk at; const std::int64_t i : std::views::iota(std::int64_t{0}, n)) {
    const int pair = at.pair();
    at.next();
    per_pair_count[pair] += 1.0;
    const double got = half_to_float(Half{g[i]});
    if (std::fabs(got - expected[pair]) <= bound[pair]) continue;  // the common case, without a call
    ASSERT_LE(error_in_bound_units(got, expected[pair], bound[pair]), 1.0)
        << "element " << i << ": gradient " << got << ", reference " << expected[pair];
  }
  std::vector<double> weighted(ref.size());
  for (std::size_t k = 0; k < ref.size(); ++k) weighted[k] = per_pair_count[k] * ref[k].loss;
  const double expected_loss = reference::compensated_sum(weighted) * multiplier;
  EXPECT_LE(error_in_bound_units(reduced, expected_loss,
                                 reduced_loss_error_bound(expected_loss, n, Reduction::mean, 1.0)),
            1.0)
      << "reduced loss " << reduced << ", reference " << expected_loss;
}

}  // namespace
}  // namespace lossbench
