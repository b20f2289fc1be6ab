// The Gaussian NLL kernel, run by the emulator from the same source nvcc
// compiles: against the double-precision reference over the sweep of
// verify_gaussian_nll.hpp (bounds, every element written, nothing written
// outside, same bits twice) and on extreme inputs; the same bits for every
// grid size, schedule and worker count; 64-bit tile offsets.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "backends/launch/gaussian_nll_launch.cuh"
#include "emu/options.hpp"
#include "gaussian_nll_extremes.hpp"
#include "kernels/loss/gaussian_nll_math.cuh"
#include "lossbench/loss/gaussian_nll.hpp"
#include "lossbench/verify/verify_gaussian_nll.hpp"

namespace lossbench {
namespace {

// Each test runs one dtype's slice of the quick sweep, so that ctest names
// the slice that fails.
void verify_slice(const std::string& prefix) {
  int ran = 0;
  for (const GaussianNllVerifyCase& c : standard_gaussian_nll_cases(/*quick=*/true, /*seed=*/20261202)) {
    if (c.name().rfind(prefix, 0) != 0) continue;
    const GaussianNllVerifyResult r = verify_gaussian_nll_case(c, Backend::emu);
    ++ran;
    EXPECT_TRUE(r.passed()) << c.name() << " n=" << c.n << " seed=" << c.seed << " (worst "
                            << r.log.max_error() << " × bound):\n"
                            << r.log.report();
  }
  EXPECT_GT(ran, 500) << "the sweep has no cases for " << prefix;
}

TEST(KernelsGaussianNll, F32MatchesReference) { verify_slice("gnll/f32/"); }
TEST(KernelsGaussianNll, F16MatchesReference) { verify_slice("gnll/f16/"); }
TEST(KernelsGaussianNll, Bf16MatchesReference) { verify_slice("gnll/bf16/"); }

TEST(KernelsGaussianNll, ExtremeInputsMatchReference) {
  testing::expect_gaussian_nll_extremes_match_reference(Backend::emu);
}

// More tiles than the emulated grid has blocks, a partial last tile, both paths.
TEST(KernelsGaussianNll, ManyTilesOnBothPaths) {
  for (const int offset : {0, 1}) {
    GaussianNllVerifyCase c;
    c.dtype = DType::bf16;
    c.reduction = Reduction::mean;
    c.n = 3 * kernels::kGaussianNllTileElements * 8 + 5;
    c.offset = offset;
    c.seed = 17;
    const GaussianNllVerifyResult r = verify_gaussian_nll_case(c, Backend::emu);
    EXPECT_TRUE(r.passed()) << c.name() << ":\n" << r.log.report();
  }
}

struct Outputs {
  double loss = 0.0;
  std::vector<float> grad_mu;
  std::vector<float> grad_var;
};

// The reduced loss and both gradients must have the same bits whatever the
// grid size, the emulator's block schedule and its worker threads: the
// partials are per fixed tile and combined in tile order.
TEST(KernelsGaussianNll, SameBitsForEveryGridSizeScheduleAndWorkerCount) {
  const std::int64_t n = 100003;
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  std::vector<float> mu(n), y(n), var(n);
  for (std::int64_t i = 0; i < n; ++i) {
    mu[i] = normal(rng);
    y[i] = mu[i] + 0.1f * normal(rng);
    var[i] = std::exp(normal(rng));
  }
  GaussianNllCall call;
  call.reduction = Reduction::sum;
  call.mu = mu.data();
  call.target = y.data();
  call.var = var.data();
  call.n = n;
  std::vector<unsigned char> workspace(gaussian_nll_workspace_size(n, call.reduction, Backend::emu), 0);
  const auto run = [&](auto capacity_of) {
    Outputs out{0.0, std::vector<float>(n), std::vector<float>(n)};
    call.grad_mu = out.grad_mu.data();
    call.grad_var = out.grad_var.data();
    call.reduced_loss = &out.loss;
    kernels::launch_gaussian_nll(call, workspace.data(), lossbench::default_stream(), capacity_of);
    return out;
  };
  const Outputs first = run([](auto) { return kernels::DeviceCapacity{1, 1}; });
  const auto expect_same = [&](const Outputs& other, const std::string& what) {
    EXPECT_EQ(std::memcmp(&other.loss, &first.loss, sizeof first.loss), 0)
        << what << ": " << other.loss << " vs " << first.loss;
    EXPECT_EQ(other.grad_mu, first.grad_mu) << what;
    EXPECT_EQ(other.grad_var, first.grad_var) << what;
  };
  for (const kernels::DeviceCapacity capacity : {kernels::DeviceCapacity{3, 1}, kernels::DeviceCapacity{4, 2},
                                                 kernels::DeviceCapacity{7, 3}, kernels::DeviceCapacity{132, 4}}) {
    expect_same(run([&](auto) { return capacity; }),
                "grid of " + std::to_string(capacity.sm_count * capacity.blocks_per_sm) + " blocks");
  }
  std::vector<emu::Schedule> schedules = {{emu::Schedule::Kind::reverse, 0}, {emu::Schedule::Kind::random, 1},
                                          {emu::Schedule::Kind::random, 2}};
  for (const unsigned workers : {1u, 2u}) {
    for (const emu::Schedule& schedule : schedules) {
      emu::set_schedule(schedule);
      emu::set_workers(workers);
      expect_same(run([](auto) { return kernels::DeviceCapacity{4, 2}; }),
                  "schedule " + schedule.to_string() + ", " + std::to_string(workers) + " workers");
    }
  }
  emu::set_schedule({});
  emu::set_workers(1);
}

}  // namespace
}  // namespace lossbench

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

// Runs the kernel's own tile functions on the single tile that starts at
// element `base` (beyond 2^40), so that 64-bit offsets are tested without
// 2^40 elements.
__global__ void __launch_bounds__(kGaussianNllBlockThreads)
    gaussian_nll_large_offset_tile_kernel(GaussianNllKernelParams<float> p, std::int64_t base) {
  constexpr unsigned kOutputs = kWritesGradMu | kWritesGradVar;
  const int thread = static_cast<int>(threadIdx.x);
  if (p.vectorized) {
    gaussian_nll_full_tile_packed<kOutputs>(p, base, thread);
  } else {
    gaussian_nll_tile_by_element<kOutputs>(p, base, kGaussianNllTileElements, thread);
  }
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels

namespace lossbench {
namespace {

// One tile at element 2^40 + 3·4096 of a virtual array whose pointers are
// shifted so that only that tile is real memory: a 32-bit product anywhere
// in the index math would read or write the wrong memory.
TEST(KernelsGaussianNll, TilesBeyondTwoToTheFortyUse64BitOffsets) {
  constexpr int kTile = kernels::kGaussianNllTileElements;
  const std::int64_t base = (std::int64_t{1} << 40) + 3 * kTile;
  std::vector<float> mu(kTile), y(kTile, 1.0f), var(kTile), grad_mu(kTile), grad_var(kTile);
  for (int i = 0; i < kTile; ++i) {
    mu[i] = static_cast<float>(i % 17) - 8.0f;
    var[i] = 0.25f * static_cast<float>(i % 5 + 1);
  }
  for (const bool vectorized : {true, false}) {
    kernels::GaussianNllKernelParams<float> p;
    p.mu = mu.data() - base;  // p.mu + base is mu.data()
    p.target = y.data() - base;
    p.var = var.data() - base;
    p.grad_mu = grad_mu.data() - base;
    p.grad_var = grad_var.data() - base;
    p.n = base + kTile;
    p.vectorized = vectorized;
    lossbench::launch(&kernels::gaussian_nll_large_offset_tile_kernel, dim3(1), dim3(kernels::kGaussianNllBlockThreads),
                      0, lossbench::default_stream(), p, base);
    for (int i = 0; i < kTile; ++i) {
      const kernels::GaussianNllResult want = kernels::gaussian_nll(mu[i], y[i], var[i], p.math);
      ASSERT_EQ(grad_mu[i], want.grad_mean) << "element " << i << (vectorized ? " (packed path)" : " (element path)");
      ASSERT_EQ(grad_var[i], want.grad_var) << "element " << i << (vectorized ? " (packed path)" : " (element path)");
    }
    std::fill(grad_mu.begin(), grad_mu.end(), 0.0f);
    std::fill(grad_var.begin(), grad_var.end(), 0.0f);
  }
}

}  // namespace
}  // namespace lossbench
