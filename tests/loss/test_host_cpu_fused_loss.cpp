// The cpu backend's fused loss (Highway SIMD + threads): the verify sweep
// against the double-precision reference (bounds, every element written,
// nothing outside, same bits twice), element by element against
// loss_math.cuh on extreme inputs, the same bits for 1..4 threads, and every
// SIMD target this CPU runs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "common/each_simd_target.hpp"
#include "kernels/loss/loss_math.cuh"
#include "lossbench/core/cpu_threads.hpp"
#include "lossbench/loss/fused_loss.hpp"
#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"
#include "lossbench/verify/verify.hpp"
#include "nan_propagation.hpp"

namespace lossbench {
namespace {

class CpuThreads : public ::testing::Test {
 protected:
  void TearDown() override { set_cpu_threads(0); }
};

void verify_slice(const std::string& prefix) {
  int ran = 0;
  for (const VerifyCase& c : standard_verify_cases(/*quick=*/true, /*seed=*/20261201)) {
    if (c.name().rfind(prefix, 0) != 0) continue;
    const VerifyResult r = verify_case(c, Backend::cpu);
    ++ran;
    EXPECT_TRUE(r.passed()) << c.name() << " n=" << c.n << " (grad err " << r.grad_error << ", loss err "
                            << r.loss_error << "):\n"
                            << r.log.report();
  }
  EXPECT_GT(ran, 100) << "the sweep has no cases for " << prefix;
}

TEST(HostCpuFusedLoss, MseF32MatchesReference) { verify_slice("mse/f32/"); }
TEST(HostCpuFusedLoss, MseF16MatchesReference) { verify_slice("mse/f16/"); }
TEST(HostCpuFusedLoss, MseBf16MatchesReference) { verify_slice("mse/bf16/"); }
TEST(HostCpuFusedLoss, MseIdentityF32MatchesReference) { verify_slice("mse-identity/f32/"); }
TEST(HostCpuFusedLoss, MseIdentityF16MatchesReference) { verify_slice("mse-identity/f16/"); }
TEST(HostCpuFusedLoss, MseIdentityBf16MatchesReference) { verify_slice("mse-identity/bf16/"); }
TEST(HostCpuFusedLoss, BceF32MatchesReference) { verify_slice("bce/f32/"); }
TEST(HostCpuFusedLoss, BceF16MatchesReference) { verify_slice("bce/f16/"); }
TEST(HostCpuFusedLoss, BceBf16MatchesReference) { verify_slice("bce/bf16/"); }

TEST(HostCpuFusedLoss, NaNLogitPropagatesToLossAndGradient) { expect_nan_logit_propagates(Backend::cpu); }

// Sizes around the vector width (4 to 16 lanes) and the tile (8192), odd offsets.
TEST(HostCpuFusedLoss, EdgeSizesAndOffsets) {
  for (const std::int64_t n : {0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 8191, 8192, 8193, 3 * 8192 + 5}) {
    for (const int offset : {0, 1, 3}) {
      for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
        for (const Reduction reduction : {Reduction::none, Reduction::mean, Reduction::sum}) {
          VerifyCase c;
          c.loss = n % 2 == 0 ? Loss::bce : Loss::mse;
          c.dtype = dtype;
          c.reduction = reduction;
          c.n = n;
          c.offset = offset;
          c.in_place = offset == 3;
          c.seed = static_cast<std::uint64_t>(n) + 7;
          const VerifyResult r = verify_case(c, Backend::cpu);
          EXPECT_TRUE(r.passed()) << c.name() << " n=" << n << ":\n" << r.log.report();
        }
      }
    }
  }
}

// Extreme inputs, one element each, through the SIMD path (a full vector of
// copies, and a tail of one) against loss_math.cuh's scalar code: the same
// value within the documented bound, and exactly the same where the result is special
// (0, ±inf, NaN).
TEST(HostCpuFusedLoss, SimdMatchesLossMathOnExtremeInputs) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float tiny = std::numeric_limits<float>::denorm_min();
  const std::vector<float> logits{0.0f,  -0.0f, tiny,   -tiny,   1e-30f, -1e-30f, 0.25f,  -0.25f, 1.0f,  -1.0f,
                                  0.99f, 3.0f,  -3.0f,  20.0f,   -20.0f, 87.0f,   -87.0f, 88.5f,  -88.5f, 100.0f,
                                  -100.0f, 104.5f, -104.5f, 1e4f, -1e4f,  inf,     -inf,   nan};
  const std::vector<float> probabilities{0.0f, 1.0f, 0.5f, 0.49857f, 0.50143f, tiny, 1e-38f, 0.25f, 0.75f,
                                         std::nextafter(1.0f, 0.0f), std::nextafter(0.5f, 0.0f), nan};
  // Regression targets besides: far from and equal to the logits, and past
  // the point where ½(z − y)² or z − y overflows float32.
  std::vector<float> reals = probabilities;
  for (const float y : {-3.0f, 7.5f, 1e4f, -1e4f, 3e19f, -3e38f, inf, -inf}) reals.push_back(y);
  const std::vector<float> huge_logits{3e19f, -3e19f, 3e38f};
  for (const ElementwiseLoss& kind : elementwise_losses()) {
    const Loss loss = kind.loss;
    const bool identity = kind.activation == Activation::identity;
    const std::vector<float>& targets = identity ? reals : probabilities;
    std::vector<float> zs_of_kind = logits;
    if (identity) zs_of_kind.insert(zs_of_kind.end(), huge_logits.begin(), huge_logits.end());
    for (const float pos_weight : {1.0f, 0.25f, 3.0f}) {
      if (loss == Loss::mse && pos_weight != 1.0f) continue;
      kernels::LossParams params;
      params.pos_weight = pos_weight;
      for (const float z : zs_of_kind) {
        for (const float y : targets) {
          for (const std::int64_t n : {1, 64}) {
            std::vector<float> zs(n, z), ys(n, y), g(n), l(n);
            FusedLossCall call;
            call.loss = loss;
            call.activation = kind.activation;
            call.reduction = Reduction::none;
            call.logits = zs.data();
            call.targets = ys.data();
            call.grad = g.data();
            call.elementwise_loss = l.data();
            call.n = n;
            call.pos_weight = loss == Loss::bce ? pos_weight : 1.0f;
            fused_loss(call, Backend::cpu, nullptr, 0);
            const kernels::LossAndGrad s = identity            ? kernels::IdentityMseLoss::eval(z, y, params)
                                           : loss == Loss::mse ? kernels::MseLoss::eval(z, y, params)
                                                               : kernels::BceLoss::eval(z, y, params);
            // The bound of fused_loss_bounds.hpp, taking the scalar code as the reference.
            const ElementBoundInput input{loss, DType::f32, z, y, call.pos_weight, 1.0, kind.activation};
            const auto close = [](float got, float want, double bound) {
              if (std::isnan(want)) return std::isnan(got);
              if (std::isinf(want) || want == 0.0f) return got == want;
              return std::fabs(static_cast<double>(got) - want) <= bound;
            };
            EXPECT_TRUE(close(g[n - 1], s.grad, grad_error_bound(input, s.grad)))
                << name_of(kind) << " p=" << pos_weight << " z=" << z << " y=" << y << ": simd " << g[n - 1]
                << ", scalar " << s.grad;
            EXPECT_TRUE(close(l[n - 1], s.loss, elementwise_loss_error_bound(input, s.loss)))
                << name_of(kind) << " p=" << pos_weight << " z=" << z << " y=" << y << ": simd " << l[n - 1]
                << ", scalar " << s.loss;
          }
        }
      }
    }
  }
}

// Random inputs with a share of extremes, n over many tiles.
struct Inputs {
  std::vector<float> z;
  std::vector<float> y;
};
Inputs random_inputs(std::int64_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 4.0f);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  Inputs in{std::vector<float>(n), std::vector<float>(n)};
  for (std::int64_t i = 0; i < n; ++i) {
    in.z[i] = i % 97 == 0 ? (i % 2 ? 1e4f : -1e4f) : normal(rng);
    in.y[i] = i % 5 == 0 ? 1.0f : (i % 5 == 1 ? 0.0f : unit(rng));
  }
  return in;
}

TEST_F(CpuThreads, SameBitsForOneToFourThreads) {
  const std::int64_t n = 37 * 8192 + 11;
  const Inputs in = random_inputs(n, 5);
  for (const Reduction reduction : {Reduction::mean, Reduction::sum}) {
    std::vector<float> first_grad;
    double first_loss = 0.0;
    for (int threads = 1; threads <= 4; ++threads) {
      set_cpu_threads(threads);
      std::vector<float> g(n);
      double loss = 0.0;
      FusedLossCall call;
      call.loss = Loss::bce;
      call.reduction = reduction;
      call.logits = in.z.data();
      call.targets = in.y.data();
      call.grad = g.data();
      call.reduced_loss = &loss;
      call.n = n;
      std::vector<char> workspace(fused_loss_workspace_size(n, reduction, Backend::cpu));
      fused_loss(call, Backend::cpu, workspace.data(), workspace.size());
      if (threads == 1) {
        first_grad = g;
        first_loss = loss;
        continue;
      }
      EXPECT_EQ(std::memcmp(&loss, &first_loss, sizeof loss), 0) << threads << " threads: " << loss << " vs " << first_loss;
      EXPECT_EQ(std::memcmp(g.data(), first_grad.data(), g.size() * sizeof(float)), 0) << threads << " threads";
    }
  }
}

TEST_F(CpuThreads, ThreadCountComesFromTheEnvironmentAndRejectsNonsense) {
  EXPECT_GE(cpu_threads(), 1);
  set_cpu_threads(3);
  EXPECT_EQ(cpu_threads(), 3);
  EXPECT_THROW(set_cpu_threads(-1), InputError);
  set_cpu_threads(0);
  ::setenv("LOSSBENCH_CPU_THREADS", "2", 1);
  EXPECT_EQ(cpu_threads(), 2);
  ::setenv("LOSSBENCH_CPU_THREADS", "two", 1);
  EXPECT_THROW(cpu_threads(), InputError);
  ::setenv("LOSSBENCH_CPU_THREADS", "0", 1);
  EXPECT_THROW(cpu_threads(), InputError);
  ::unsetenv("LOSSBENCH_CPU_THREADS");
}

// Every SIMD target compiled in and run by this CPU (AVX-512, AVX2, SSE4,
// the portable fallback, ...) passes the same checks: the fallbacks are
// what an older CPU runs.
TEST(HostCpuFusedLoss, EverySimdTargetOfThisCpuMatchesReference) {
  testing::for_each_simd_target([&](const char* target) {
    for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
      for (const ElementwiseLoss& loss : elementwise_losses()) {
        VerifyCase c;
        c.loss = loss.loss;
        c.activation = loss.activation;
        c.dtype = dtype;
        c.reduction = Reduction::none;
        c.n = 1000;
        c.pos_weight = loss.loss == Loss::bce ? 2.5f : 1.0f;
        const VerifyResult r = verify_case(c, Backend::cpu);
        EXPECT_TRUE(r.passed()) << target << " " << c.name() << ":\n" << r.log.report();
      }
    }
  });
}

}  // namespace
}  // namespace lossbench
