// The fused loss kernels on a real GPU (backend cuda) against the reference:
// the same sweep verify runs, including the 10^6 + 3 size. Skips, saying why,
// when this build has no CUDA backend or the machine has no usable GPU.
#include <gtest/gtest.h>

#include "lossbench/core/backend.hpp"
#include "lossbench/verify/verify.hpp"

namespace lossbench {
namespace {

class GpuFusedLoss : public ::testing::Test {
 protected:
  void SetUp() override {
    const BackendAvailability cuda = backend_availability(Backend::cuda);
    if (!cuda.available) GTEST_SKIP() << "no GPU to run on: " << cuda.reason;
  }
};

TEST_F(GpuFusedLoss, FullSweepMatchesReference) {
  int ran = 0;
  for (const VerifyCase& c : standard_verify_cases(/*quick=*/false, /*seed=*/20261124)) {
    const VerifyResult r = verify_case(c, Backend::cuda);
    ++ran;
    EXPECT_TRUE(r.passed()) << c.name() << " n=" << c.n << " seed=" << c.seed << ":\n" << r.log.report();
  }
  EXPECT_GT(ran, 1000);
}

}  // namespace
}  // namespace lossbench
