// The fused loss kernel, run by the emulator from the same source nvcc
// compiles: against the double-precision reference over the verify sweep
// (bounds, every element written, nothing written outside, same bits twice),
// independence of the reduced loss's bits from the grid size, and 64-bit
// tile offsets.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "backends/launch/fused_loss_launch.cuh"
#include "large_offset_tile.cuh"
#include "nan_propagation.hpp"
#include "lossbench/loss/fused_loss.hpp"
#include "lossbench/verify/verify.hpp"

namespace lossbench {
namespace {

// Each test runs one loss × dtype slice of the quick sweep, so that ctest
// names the slice that fails.
void verify_slice(const std::string& prefix) {
  int ran = 0;
  for (const VerifyCase& c : standard_verify_cases(/*quick=*/true, /*seed=*/20261124)) {
    if (c.name().rfind(prefix, 0) != 0) continue;
    const VerifyResult r = verify_case(c, Backend::emu);
    ++ran;
    EXPECT_TRUE(r.passed()) << c.name() << " n=" << c.n << " seed=" << c.seed << " (grad err " << r.grad_error
                            << ", loss err " << r.loss_error << "):\n"
                            << r.log.report();
  }
  EXPECT_GT(ran, 100) << "the sweep has no cases for " << prefix;
}

TEST(KernelsFusedLoss, MseF32MatchesReference) { verify_slice("mse/f32/"); }
TEST(KernelsFusedLoss, MseF16MatchesReference) { verify_slice("mse/f16/"); }
TEST(KernelsFusedLoss, MseBf16MatchesReference) { verify_slice("mse/bf16/"); }
TEST(KernelsFusedLoss, MseIdentityF32MatchesReference) { verify_slice("mse-identity/f32/"); }
TEST(KernelsFusedLoss, MseIdentityF16MatchesReference) { verify_slice("mse-identity/f16/"); }
TEST(KernelsFusedLoss, MseIdentityBf16MatchesReference) { verify_slice("mse-identity/bf16/"); }
TEST(KernelsFusedLoss, BceF32MatchesReference) { verify_slice("bce/f32/"); }
TEST(KernelsFusedLoss, BceF16MatchesReference) { verify_slice("bce/f16/"); }
TEST(KernelsFusedLoss, BceBf16MatchesReference) { verify_slice("bce/bf16/"); }

TEST(KernelsFusedLoss, LargerSizeWithManyTilesAndBothPaths) {
  for (const int offset : {0, 1}) {
    VerifyCase c;
    c.loss = Loss::bce;
    c.dtype = DType::f16;
    c.reduction = Reduction::mean;
    c.n = 3 * 4096 * 8 + 5;  // more tiles than the emulated grid has blocks, and a tail
    c.offset = offset;
    const VerifyResult r = verify_case(c, Backend::emu);
    EXPECT_TRUE(r.passed()) << c.name() << ":\n" << r.log.report();
  }
}

TEST(KernelsFusedLoss, NaNLogitPropagatesToLossAndGradient) { expect_nan_logit_propagates(Backend::emu); }

// The reduced loss and the gradient must have the same bits whatever the
// grid size: partials are per fixed tile and combined in tile order.
TEST(KernelsFusedLoss, ReducedLossBitsDoNotDependOnTheGridSize) {
  const std::int64_t n = 100003;
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 4.0f);
  std::vector<float> z(n), y(n), g(n);
  for (std::int64_t i = 0; i < n; ++i) {
    z[i] = normal(rng);
    y[i] = static_cast<float>(i % 2);
  }
  FusedLossCall call;
  call.loss = Loss::bce;
  call.reduction = Reduction::sum;
  call.dtype = DType::f32;
  call.logits = z.data();
  call.targets = y.data();
  call.grad = g.data();
  call.n = n;
  std::vector<unsigned char> workspace(fused_loss_workspace_size(call.n, call.reduction, Backend::emu), 0);

  double first_loss = 0;
  std::vector<float> first_grad;
  for (const kernels::DeviceCapacity capacity :
       {kernels::DeviceCapacity{1, 1}, kernels::DeviceCapacity{3, 1}, kernels::DeviceCapacity{4, 2},
        kernels::DeviceCapacity{7, 3}, kernels::DeviceCapacity{132, 4}}) {
    double loss = 0;
    call.reduced_loss = &loss;
    kernels::launch_fused_loss(call, workspace.data(), lossbench::default_stream(),
                               [&](auto) { return capacity; });
    if (first_grad.empty()) {
      first_loss = loss;
      first_grad = g;
      continue;
    }
    EXPECT_EQ(std::memcmp(&loss, &first_loss, sizeof loss), 0)
        << "grid of " << capacity.sm_count * capacity.blocks_per_sm << " blocks: " << loss << " vs " << first_loss;
    EXPECT_EQ(g, first_grad);
  }
}

// 64-bit offsets: one tile at element 2^40 + 3·4096 of a virtual array whose
// pointers are shifted so that only that tile is real memory. A 32-bit
// product anywhere in the index math would read the wrong memory.
TEST(KernelsFusedLoss, TilesBeyondTwoToTheFortyUse64BitOffsets) {
  const std::int64_t base = (std::int64_t{1} << 40) + 3 * kernels::kTileElements;
  std::vector<float> z(kernels::kTileElements), y(kernels::kTileElements, 1.0f);
  std::vector<float> g(kernels::kTileElements, 0.0f);
  for (int i = 0; i < kernels::kTileElements; ++i) z[i] = static_cast<float>(i % 17) - 8.0f;
  for (const bool vectorized : {true, false}) {
    kernels::FusedLossParams<float> p;
    p.logits = z.data() - base;  // p.logits + base is z.data()
    p.targets = y.data() - base;
    p.grad = g.data() - base;
    p.n = base + kernels::kTileElements;
    p.vectorized = vectorized;
    lossbench::launch(&kernels::large_offset_tile_kernel<float>, dim3(1), dim3(kernels::kBlockThreads), 0,
                      lossbench::default_stream(), p, base);
    for (int i = 0; i < kernels::kTileElements; ++i) {
      const float a = 1.0f / (1.0f + std::exp(-z[i]));
      ASSERT_NEAR(g[i], a - 1.0f, 1e-6f) << "element " << i << (vectorized ? " (packed path)" : " (element path)");
    }
    std::fill(g.begin(), g.end(), 0.0f);
  }
}

}  // namespace
}  // namespace lossbench
