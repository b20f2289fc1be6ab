// The cpu backend's Gaussian NLL (Highway SIMD + threads): the sweep of
// verify_gaussian_nll.hpp against the double-precision reference (bounds,
// every element written, nothing outside, same bits twice) and the extreme
// inputs; element by element against gaussian_nll_math.cuh (the gradients
// bit for bit, the loss within the rounding of Highway's Log against logf);
// the same bits for 1..4 threads; every SIMD target this CPU runs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "common/each_simd_target.hpp"
#include "gaussian_nll_extremes.hpp"
#include "kernels/loss/gaussian_nll_math.cuh"
#include "lossbench/core/cpu_threads.hpp"
#include "lossbench/loss/gaussian_nll.hpp"
#include "lossbench/verify/verify_gaussian_nll.hpp"

namespace lossbench {
namespace {

class CpuGaussianNllThreads : public ::testing::Test {
 protected:
  void TearDown() override { set_cpu_threads(0); }
};

void verify_slice(const std::string& prefix) {
  int ran = 0;
  for (const GaussianNllVerifyCase& c : standard_gaussian_nll_cases(/*quick=*/true, /*seed=*/20261203)) {
    if (c.name().rfind(prefix, 0) != 0) continue;
    const GaussianNllVerifyResult r = verify_gaussian_nll_case(c, Backend::cpu);
    ++ran;
    EXPECT_TRUE(r.passed()) << c.name() << " n=" << c.n << " seed=" << c.seed << " (worst "
                            << r.log.max_error() << " × bound):\n"
                            << r.log.report();
  }
  EXPECT_GT(ran, 500) << "the sweep has no cases for " << prefix;
}

TEST(HostCpuGaussianNll, F32MatchesReference) { verify_slice("gnll/f32/"); }
TEST(HostCpuGaussianNll, F16MatchesReference) { verify_slice("gnll/f16/"); }
TEST(HostCpuGaussianNll, Bf16MatchesReference) { verify_slice("gnll/bf16/"); }

TEST(HostCpuGaussianNll, ExtremeInputsMatchReference) {
  testing::expect_gaussian_nll_extremes_match_reference(Backend::cpu);
}

// Element by element against the scalar math the GPU runs, through full
// vectors and a tail: the gradients have its bits (the same IEEE operations
// in the same order); the loss differs only by Highway's Log against logf
// (each within an ulp of log v): by half of that, and by the roundings after
// it (of the sum, and of + ½ log 2π with full) going the other way, an ulp
// of ℓ each.
TEST(HostCpuGaussianNll, SimdMatchesTheScalarMath) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  const std::int64_t n = 100000 + 13;
  std::vector<float> mu(n), y(n), var(n);
  for (std::int64_t i = 0; i < n; ++i) {
    mu[i] = normal(rng);
    y[i] = i % 7 == 0 ? mu[i] : normal(rng);
    var[i] = i % 11 == 0 ? 0.0f : std::exp(2.0f * normal(rng));
  }
  for (const bool full : {false, true}) {
    std::vector<float> grad_mu(n), grad_var(n), loss(n);
    GaussianNllCall call;
    call.reduction = Reduction::none;
    call.mu = mu.data();
    call.target = y.data();
    call.var = var.data();
    call.grad_mu = grad_mu.data();
    call.grad_var = grad_var.data();
    call.elementwise_loss = loss.data();
    call.n = n;
    call.full = full;
    gaussian_nll(call, Backend::cpu, nullptr, 0);
    const kernels::GaussianNllParams params{call.eps, full};
    std::int64_t losses_differing = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      const kernels::GaussianNllResult want = kernels::gaussian_nll(mu[i], y[i], var[i], params);
      ASSERT_EQ(grad_mu[i], want.grad_mean) << "mu=" << mu[i] << " y=" << y[i] << " var=" << var[i];
      ASSERT_EQ(grad_var[i], want.grad_var) << "mu=" << mu[i] << " y=" << y[i] << " var=" << var[i];
      if (loss[i] == want.loss) continue;
      ++losses_differing;
      const double log_v = std::log(std::fmax(static_cast<double>(var[i]), static_cast<double>(call.eps)));
      const double allowed = 0x1p-24 * std::fabs(log_v) + 0x1p-22 * std::fabs(want.loss);
      ASSERT_LE(std::fabs(static_cast<double>(loss[i]) - want.loss), allowed)
          << "mu=" << mu[i] << " y=" << y[i] << " var=" << var[i] << ": simd " << loss[i] << ", scalar " << want.loss;
    }
    std::printf("full=%d: %lld of %lld losses differ from the scalar math's bits (Log against logf)\n", full,
                static_cast<long long>(losses_differing), static_cast<long long>(n));
  }
}

TEST_F(CpuGaussianNllThreads, SameBitsForOneToFourThreads) {
  const std::int64_t n = 37 * 8192 + 11;
  const GaussianNllInputs in = make_gaussian_nll_inputs(DType::f32, n, 5);
  for (const Reduction reduction : {Reduction::mean, Reduction::sum}) {
    std::vector<float> first_grad_mu, first_grad_var;
    double first_loss = 0.0;
    for (int threads = 1; threads <= 4; ++threads) {
      set_cpu_threads(threads);
      std::vector<float> grad_mu(n), grad_var(n);
      double loss = 0.0;
      GaussianNllCall call;
      call.reduction = reduction;
      call.mu = in.mu.data();
      call.target = in.target.data();
      call.var = in.var.data();
      call.grad_mu = grad_mu.data();
      call.grad_var = grad_var.data();
      call.reduced_loss = &loss;
      call.n = n;
      std::vector<char> workspace(gaussian_nll_workspace_size(n, reduction, Backend::cpu));
      gaussian_nll(call, Backend::cpu, workspace.data(), workspace.size());
      if (threads == 1) {
        first_grad_mu = grad_mu;
        first_grad_var = grad_var;
        first_loss = loss;
        continue;
      }
      EXPECT_EQ(std::memcmp(&loss, &first_loss, sizeof loss), 0) << threads << " threads: " << loss << " vs " << first_loss;
      EXPECT_EQ(std::memcmp(grad_mu.data(), first_grad_mu.data(), n * sizeof(float)), 0) << threads << " threads";
      EXPECT_EQ(std::memcmp(grad_var.data(), first_grad_var.data(), n * sizeof(float)), 0) << threads << " threads";
    }
  }
}

// Every SIMD target compiled in and run by this CPU (AVX-512, AVX2, SSE4,
// the portable fallback, ...) passes the same checks: the fallbacks are
// what an older CPU runs.
TEST(HostCpuGaussianNll, EverySimdTargetOfThisCpuMatchesReference) {
  testing::for_each_simd_target([&](const char* target) {
    for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
      for (const Reduction reduction : {Reduction::none, Reduction::mean}) {
        GaussianNllVerifyCase c;
        c.dtype = dtype;
        c.reduction = reduction;
        c.n = 1003;
        c.full = true;
        const GaussianNllVerifyResult r = verify_gaussian_nll_case(c, Backend::cpu);
        EXPECT_TRUE(r.passed()) << target << " " << c.name() << ":\n" << r.log.report();
      }
    }
    testing::expect_gaussian_nll_extremes_match_reference(Backend::cpu);
  });
}

}  // namespace
}  // namespace lossbench
