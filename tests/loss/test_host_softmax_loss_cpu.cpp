// softmax_loss() on the cpu backend against the double-precision reference,
// through the public API: the full verify sweep (the quick one under
// LOSSBENCH_TEST_SWEEPS=quick, common/sweep_size.hpp) and the quick sweep on
// every SIMD target of this CPU (bounds, every element written, nothing
// outside, the same bits twice), and the same bits for every thread count.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "common/each_simd_target.hpp"
#include "common/sweep_size.hpp"
#include "lossbench/core/cpu_threads.hpp"
#include "lossbench/loss/softmax_loss.hpp"
#include "lossbench/verify/verify_softmax.hpp"

namespace lossbench {
namespace {

void verify_slice(const std::string& prefix) {
  int ran = 0;
  for (const SoftmaxVerifyCase& c : standard_softmax_verify_cases(testing::quick_sweeps(), /*seed=*/20261201)) {
    if (c.name().rfind(prefix, 0) != 0) continue;
    const SoftmaxVerifyResult r = verify_softmax_case(c, Backend::cpu);
    ++ran;
    EXPECT_TRUE(r.passed()) << c.name() << " seed=" << c.seed << " (grad err " << r.grad_error << ", loss err "
                            << r.loss_error << ", entropy err " << r.entropy_error << "):\n"
                            << r.log.report();
  }
  EXPECT_GT(ran, 20) << "the sweep has no cases for " << prefix;
}

TEST(CpuSoftmaxLoss, HardLabelsInt64MatchReference) { verify_slice("ce-i64/"); }
TEST(CpuSoftmaxLoss, HardLabelsInt32MatchReference) { verify_slice("ce-i32/"); }
TEST(CpuSoftmaxLoss, ProbabilityRowsMatchReference) { verify_slice("ce-soft/"); }
TEST(CpuSoftmaxLoss, KlMatchesReference) { verify_slice("kl/"); }

// Every SIMD target compiled in and run by this CPU (AVX-512, AVX2, SSE4,
// the portable fallback, ...) passes the quick sweep's hard-label and
// probability-row cases: the row's vectors (softmax_row_simd.hpp) and their
// f16/bf16 conversions are what an older CPU runs through them.
TEST(CpuSoftmaxLoss, EverySimdTargetOfThisCpuMatchesReference) {
  testing::for_each_simd_target([](const char* target) {
    int ran = 0;
    for (const SoftmaxVerifyCase& c : standard_softmax_verify_cases(/*quick=*/true, /*seed=*/20261201)) {
      if (c.name().rfind("ce-i64/", 0) != 0 && c.name().rfind("ce-soft/", 0) != 0) continue;
      const SoftmaxVerifyResult r = verify_softmax_case(c, Backend::cpu);
      ++ran;
      EXPECT_TRUE(r.passed()) << target << " " << c.name() << ":\n" << r.log.report();
    }
    EXPECT_GT(ran, 20) << target;
  });
}

// Many tiles of rows, split over 1 to 4 threads: the same bits of every output.
TEST(CpuSoftmaxLoss, SameBitsForEveryThreadCount) {
  constexpr std::int64_t rows = 9000;
  constexpr std::int64_t classes = 10;
  std::vector<float> z(rows * classes);
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = 5.0f * std::sin(0.37f * static_cast<float>(i));
  std::vector<std::int64_t> t(rows);
  for (std::int64_t r = 0; r < rows; ++r) t[r] = r % 11 == 0 ? -100 : (r * 7) % classes;
  SoftmaxLossCall call;
  call.rows = rows;
  call.classes = classes;
  call.logits = z.data();
  call.targets = t.data();
  call.label_smoothing = 0.1f;
  call.z_loss = 1e-4f;
  std::vector<float> first_grad, first_entropy;
  double first_loss = 0;
  const int before = cpu_threads();
  for (const int threads : {1, 2, 3, 4}) {
    set_cpu_threads(threads);
    std::vector<float> g(z.size()), h(rows);
    double loss = 0;
    call.grad = g.data();
    call.entropy = h.data();
    call.reduced_loss = &loss;
    softmax_loss(call, Backend::cpu, nullptr, 0);
    if (threads == 1) {
      first_grad = g;
      first_entropy = h;
      first_loss = loss;
      continue;
    }
    EXPECT_EQ(std::memcmp(&loss, &first_loss, sizeof loss), 0) << threads << " threads";
    EXPECT_EQ(g, first_grad) << threads << " threads";
    EXPECT_EQ(h, first_entropy) << threads << " threads";
  }
  set_cpu_threads(before);
}

}  // namespace
}  // namespace lossbench
