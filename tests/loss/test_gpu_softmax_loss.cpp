// softmax_loss() on a real GPU (backend cuda) against the reference: the
// full sweep verify runs (V up to 131072). Skips, saying why, when this
// build has no CUDA backend or the machine has no usable GPU.
#include <gtest/gtest.h>

#include "lossbench/core/backend.hpp"
#include "lossbench/verify/verify_softmax.hpp"

namespace lossbench {
namespace {

class GpuSoftmaxLoss : public ::testing::Test {
 protected:
  void SetUp() override {
    const BackendAvailability cuda = backend_availability(Backend::cuda);
    if (!cuda.available) GTEST_SKIP() << "no GPU to run on: " << cuda.reason;
  }
};

TEST_F(GpuSoftmaxLoss, FullSweepMatchesReference) {
  int ran = 0;
  for (const SoftmaxVerifyCase& c : standard_softmax_verify_cases(/*quick=*/false, /*seed=*/20261201)) {
    const SoftmaxVerifyResult r = verify_softmax_case(c, Backend::cuda);
    ++ran;
    EXPECT_TRUE(r.passed()) << c.name() << " seed=" << c.seed << ":\n" << r.log.report();
  }
  EXPECT_GT(ran, 200);
}

}  // namespace
}  // namespace lossbench
