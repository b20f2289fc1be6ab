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
#include <vector>

#include "lossbench/loss/fused_loss.hpp"
#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"

namespace lossbench {
namespace {

// Inputs come from small tables indexed by cheap functions of i, so that the
// reference for every element is a table lookup and the check streams.
constexpr int kLogitTable = 1021;
constexpr int kTargetTable = 509;
int logit_index(std::int64_t i) { return static_cast<int>(i % kLogitTable); }
int target_index(std::int64_t i) { return static_cast<int>((i / 7) % kTargetTable); }

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
  for (std::int64_t i = 0; i < n; ++i) {
    z[i] = logit_bits[logit_index(i)];
    y[i] = target_bits[target_index(i)];
    g[i] = 0x7fff;  // NaN poison
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

  // Reference per table pair, then stream over the elements.
  std::vector<reference::LossAndGrad> ref(kLogitTable * kTargetTable);
  for (int a = 0; a < kLogitTable; ++a) {
    for (int b = 0; b < kTargetTable; ++b) {
      ref[a * kTargetTable + b] =
          reference::bce_with_logits(half_to_float(Half{logit_bits[a]}), half_to_float(Half{target_bits[b]}));
    }
  }
  std::vector<double> per_pair_count(ref.size(), 0.0);
  const double multiplier = 1.0 / static_cast<double>(n);
  for (std::int64_t i = 0; i < n; ++i) {
    const int pair = logit_index(i) * kTargetTable + target_index(i);
    per_pair_count[pair] += 1.0;
    const double expected = ref[pair].grad * multiplier;
    const double got = half_to_float(Half{g[i]});
    const ElementBoundInput e{Loss::bce, DType::f16, half_to_float(Half{z[i]}), half_to_float(Half{y[i]}), 1.0,
                              multiplier};
    ASSERT_LE(error_in_bound_units(got, expected, grad_error_bound(e, expected)), 1.0)
        << "element " << i << ": gradient " << got << ", reference " << expected;
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
