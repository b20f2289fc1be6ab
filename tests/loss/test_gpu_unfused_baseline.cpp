// The unfused baseline on a real GPU (backend cuda), through the case loop
// the emulated test runs (unfused_baseline_cases.hpp): every dtype, hard and
// soft labels, logits up to |z| = 1e4, n up to 10^5 + 3, against the model
// of its own chain, the reference and itself on a second run. Skips,
// saying why, when this build has no CUDA backend or the machine no GPU.
#include <gtest/gtest.h>

#include <string>

#include "lossbench/core/backend.hpp"
#include "unfused_baseline_cases.hpp"

namespace lossbench {
namespace {

class GpuUnfusedBaseline : public ::testing::TestWithParam<DType> {
 protected:
  void SetUp() override {
    const BackendAvailability cuda = backend_availability(Backend::cuda);
    if (!cuda.available) GTEST_SKIP() << "no GPU to run on: " << cuda.reason;
  }
};

TEST_P(GpuUnfusedBaseline, MatchesItsOwnChainAndTheReferenceAtEveryCase) {
  int ran = 0;
  for (const test::UnfusedCase& c : test::unfused_baseline_cases(GetParam())) {
    const test::UnfusedCaseResult r = test::run_unfused_case(c, Backend::cuda);
    EXPECT_TRUE(r.passed()) << c.name() << ": " << r.report();
    ++ran;
  }
  EXPECT_EQ(ran, 96);
}

INSTANTIATE_TEST_SUITE_P(Dtypes, GpuUnfusedBaseline, ::testing::Values(DType::f32, DType::f16, DType::bf16),
                         [](const ::testing::TestParamInfo<DType>& dtype) {
                           return std::string(to_string(dtype.param));
                         });

// Saturated logits on the GPU give the numbers the header states (libdevice's
// logf and expf, not the emulator's libm): the clamp's 100, a vanishing MSE
// gradient.
TEST(GpuUnfusedBaselineSaturated, SaturatedLogitsGiveThePyTorchClampedNumbers) {
  const BackendAvailability cuda = backend_availability(Backend::cuda);
  if (!cuda.available) GTEST_SKIP() << "no GPU to run on: " << cuda.reason;
  EXPECT_EQ(test::run_baseline(Backend::cuda, Loss::bce, Reduction::sum, DType::f32, {-1e4}, {1.0}).reduced_loss,
            100.0);
  EXPECT_EQ(test::run_baseline(Backend::cuda, Loss::bce, Reduction::sum, DType::f32, {30.0}, {0.0}).reduced_loss,
            100.0);
  EXPECT_EQ(test::run_baseline(Backend::cuda, Loss::bce, Reduction::sum, DType::bf16, {10.0}, {0.0}).reduced_loss,
            100.0);
  EXPECT_EQ(test::run_baseline(Backend::cuda, Loss::mse, Reduction::sum, DType::f32, {30.0}, {0.0}).grad[0], 0.0);
  EXPECT_EQ(test::run_baseline(Backend::cuda, Loss::mse, Reduction::sum, DType::f16, {9.0}, {0.0}).grad[0], 0.0);
}

}  // namespace
}  // namespace lossbench
