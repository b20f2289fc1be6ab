// The Gaussian NLL kernel on a real GPU (backend cuda) against the reference:
// the full sweep of verify_gaussian_nll.hpp, including n = 10^6 + 3, and the
// extreme inputs. Skips, saying why, when this build has no CUDA backend or
// the machine has no usable GPU.
#include <gtest/gtest.h>

#include "gaussian_nll_extremes.hpp"
#include "lossbench/core/backend.hpp"
#include "lossbench/verify/verify_gaussian_nll.hpp"

namespace lossbench {
namespace {

class GpuGaussianNll : public ::testing::Test {
 protected:
  void SetUp() override {
    const BackendAvailability cuda = backend_availability(Backend::cuda);
    if (!cuda.available) GTEST_SKIP() << "no GPU to run on: " << cuda.reason;
  }
};

TEST_F(GpuGaussianNll, FullSweepMatchesReference) {
  int ran = 0;
  for (const GaussianNllVerifyCase& c : standard_gaussian_nll_cases(/*quick=*/false, /*seed=*/20261202)) {
    const GaussianNllVerifyResult r = verify_gaussian_nll_case(c, Backend::cuda);
    ++ran;
    EXPECT_TRUE(r.passed()) << c.name() << " n=" << c.n << " seed=" << c.seed << ":\n" << r.log.report();
  }
  EXPECT_GT(ran, 1000);
}

TEST_F(GpuGaussianNll, ExtremeInputsMatchReference) {
  testing::expect_gaussian_nll_extremes_match_reference(Backend::cuda);
}

}  // namespace
}  // namespace lossbench
