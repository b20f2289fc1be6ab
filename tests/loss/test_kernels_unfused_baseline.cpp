// The unfused baseline's kernels, emulated, through the case loop they share
// with the GPU test (unfused_baseline_cases.hpp: the cases, the three checks
// and what the baseline gets wrong at saturated logits): every dtype, hard
// and soft labels, logits up to |z| = 1e4. Every speed-up `lossbench bench`
// reports is measured against this baseline, so it must compute what it
// claims.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "lossbench/core/error.hpp"
#include "lossbench/loss/unfused_baseline.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"
#include "unfused_baseline_cases.hpp"

namespace lossbench {
namespace {

class KernelsUnfusedBaseline : public ::testing::TestWithParam<DType> {};

TEST_P(KernelsUnfusedBaseline, MatchesItsOwnChainAndTheReferenceAtEveryCase) {
  int ran = 0;
  for (const test::UnfusedCase& c : test::unfused_baseline_cases(GetParam())) {
    const test::UnfusedCaseResult r = test::run_unfused_case(c, Backend::emu);
    EXPECT_TRUE(r.passed()) << c.name() << ": " << r.report();
    ++ran;
  }
  EXPECT_EQ(ran, 96);
}

INSTANTIATE_TEST_SUITE_P(Dtypes, KernelsUnfusedBaseline, ::testing::Values(DType::f32, DType::f16, DType::bf16),
                         [](const ::testing::TestParamInfo<DType>& dtype) {
                           return std::string(to_string(dtype.param));
                         });

// The facts unfused_baseline_cases.hpp states about saturated logits, as the
// emulated kernels compute them (f32 unless said), next to the reference.
// torch 2.15.0 on CPU gives the same in each dtype (checked 2026-12-07):
// F.binary_cross_entropy(torch.sigmoid(z), y, reduction='sum') is 100 at the
// capped points and 7.625 (−ln 2^-11 in f16) at z = 8; the gradients
// expected 0 below, through F.mse_loss and F.binary_cross_entropy, are 0.
TEST(KernelsUnfusedBaseline, SaturatedLogitsGiveThePyTorchClampedNumbers) {
  // BCE, sum over one element: capped at 100 where the truth is 1e4 ...
  EXPECT_EQ(test::run_baseline(Backend::emu, Loss::bce, Reduction::sum, DType::f32, {-1e4}, {1.0}).reduced_loss, 100.0);
  EXPECT_EQ(test::run_baseline(Backend::emu, Loss::bce, Reduction::sum, DType::f32, {1e4}, {0.0}).reduced_loss, 100.0);
  EXPECT_EQ(reference::bce_with_logits(-1e4, 1.0).loss, 1e4);
  // ... and 100 where the truth is 30, once a rounds to 1 (z = 10 in bf16).
  EXPECT_EQ(test::run_baseline(Backend::emu, Loss::bce, Reduction::sum, DType::f32, {30.0}, {0.0}).reduced_loss, 100.0);
  EXPECT_NEAR(reference::bce_with_logits(30.0, 0.0).loss, 30.0, 1e-12);
  EXPECT_EQ(test::run_baseline(Backend::emu, Loss::bce, Reduction::sum, DType::bf16, {10.0}, {0.0}).reduced_loss,
            100.0);
  // f16 at z = 8: 1 − a = 2^-11 instead of 3.4e-4, so the loss is −ln 2^-11.
  EXPECT_NEAR(test::run_baseline(Backend::emu, Loss::bce, Reduction::sum, DType::f16, {8.0}, {0.0}).reduced_loss,
              11.0 * std::log(2.0), 1e-5);
  EXPECT_NEAR(reference::bce_with_logits(8.0, 0.0).loss, 8.000335, 1e-6);
  // MSE's gradient vanishes once a rounds to 1; the true one does not.
  EXPECT_EQ(test::run_baseline(Backend::emu, Loss::mse, Reduction::sum, DType::f32, {30.0}, {0.0}).grad[0], 0.0);
  EXPECT_NEAR(reference::mse(30.0, 0.0).grad, 9.357623e-14, 1e-19);
  EXPECT_EQ(test::run_baseline(Backend::emu, Loss::mse, Reduction::sum, DType::f16, {9.0}, {0.0}).grad[0], 0.0);
  EXPECT_NEAR(reference::mse(9.0, 0.0).grad, 1.23364e-4, 1e-9);
  // BCE's gradient a − y is 0 instead of −σ(−z) for y = 1.
  EXPECT_EQ(test::run_baseline(Backend::emu, Loss::bce, Reduction::sum, DType::f32, {30.0}, {1.0}).grad[0], 0.0);
  EXPECT_NEAR(reference::bce_with_logits(30.0, 1.0).grad, -9.357623e-14, 1e-19);
}

TEST(KernelsUnfusedBaseline, RefusesWhatItDoesNotCompute) {
  std::vector<float> z(4, 0.0f), y(4, 1.0f), l(4);
  FusedLossCall call;
  call.reduction = Reduction::none;
  call.logits = z.data();
  call.targets = y.data();
  call.elementwise_loss = l.data();
  call.n = 4;
  UnfusedBaseline baseline(Backend::emu, call);
  EXPECT_THROW(baseline.run(call, nullptr), InputError);
  // A backend without the facility says so, as a backend error naming both.
  try {
    UnfusedBaseline on_ref(Backend::ref, call);
    ADD_FAILURE() << "the ref backend has no unfused baseline, yet one was set up";
  } catch (const BackendError& e) {
    EXPECT_STREQ(e.what(), "backend ref cannot run the unfused baseline");
  }
}

}  // namespace
}  // namespace lossbench
