// The training step on a real GPU, through the shared verification
// (verify_train_step.hpp) that `lossbench verify` runs: the fused kernel
// (train_step, backend cuda) and the framework-style cuBLAS baseline
// (TrainStepBaseline), each over the full sweep (shapes at the edges of the
// tiling, X aligned and misaligned, saturated logits) plus larger batches up
// to the 256-block cap, against the double-precision reference: every
// element within its bound, outputs poisoned beforehand and all written,
// guard elements around them untouched, the same bits on a second run.
// Skips, saying why, when this build has no CUDA backend or the machine has
// no usable GPU.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/train/train_step.hpp"
#include "lossbench/train/train_step_baseline.hpp"
#include "lossbench/train/train_step_bounds.hpp"
#include "lossbench/train/train_step_buffers.hpp"
#include "lossbench/verify/verify_train_step.hpp"

namespace lossbench {
namespace {

constexpr std::uint64_t kSeed = 20261125;

class GpuTrainStep : public ::testing::Test {
 protected:
  void SetUp() override {
    const BackendAvailability cuda = backend_availability(Backend::cuda);
    if (!cuda.available) GTEST_SKIP() << "no GPU to run on: " << cuda.reason;
  }
};

// Beyond the sweep: the benchmarked Fashion-MNIST shape over many blocks, the
// 256-block cap with a partial last tile, and a long batch with one output.
struct Shape {
  std::int64_t n;
  int d;
  int k;
};
constexpr Shape kLargerShapes[] = {{4097, 784, 16}, {16385, 784, 10}, {70001, 784, 1}};

std::vector<TrainStepVerifyCase> gpu_cases() {
  std::vector<TrainStepVerifyCase> cases = standard_train_step_verify_cases(/*quick=*/false, kSeed);
  for (const Shape& s : kLargerShapes) {
    append_train_step_verify_cases(cases, s.n, s.d, s.k, {Loss::mse, Loss::bce, Loss::softmax_ce}, false,
                                   kSeed + 1000);
  }
  return cases;
}

// The cuBLAS baseline on the case's arrays, set up at its first call.
// cuBLAS does not document its summation order: any order of all n rows,
// and of the d products plus the bias term it adds with beta = 1.
TrainStepVerifyResult verify_baseline(const TrainStepVerifyCase& c) {
  std::optional<TrainStepBaseline> baseline;
  const TrainStepRunner run = [&](const TrainStepCall& call) {
    if (!baseline) baseline.emplace(call);
    baseline->run(call, nullptr);
  };
  const TrainStepSumLengths lengths{static_cast<double>(c.n), c.d + 8.0};
  return verify_train_step_case(c, Backend::cuda, run, lengths);
}

TEST_F(GpuTrainStep, FusedMatchesReference) {
  for (const TrainStepVerifyCase& c : gpu_cases()) {
    const TrainStepVerifyResult r = verify_train_step_case(c, Backend::cuda);
    EXPECT_TRUE(r.passed()) << "fused " << c.name() << " seed=" << c.seed << ":\n" << r.log.report();
  }
}

TEST_F(GpuTrainStep, BaselineMatchesReference) {
  for (const TrainStepVerifyCase& c : gpu_cases()) {
    if (!is_elementwise(c.loss)) continue;  // its loss is fused_loss(): mse and bce only
    const TrainStepVerifyResult r = verify_baseline(c);
    EXPECT_TRUE(r.passed()) << "baseline " << c.name() << " seed=" << c.seed << ":\n" << r.log.report();
  }
}

// Each case above already compares two runs on the same arrays; here two
// cases on fresh arrays (other addresses) give the same bits too.
TEST_F(GpuTrainStep, SameBitsOnEveryRun) {
  TrainStepVerifyCase c;
  c.loss = Loss::bce;
  c.n = 16385;  // 256 blocks, a partial last tile
  c.d = 784;
  c.k = 10;
  c.seed = 3;
  const TrainStepVerifyResult fused = verify_train_step_case(c, Backend::cuda);
  EXPECT_TRUE(fused.deterministic) << "the fused step changed between runs:\n" << fused.log.report();
  EXPECT_EQ(verify_train_step_case(c, Backend::cuda).output_bits, fused.output_bits)
      << "the fused step changed between arrays";
  const TrainStepVerifyResult baseline = verify_baseline(c);
  EXPECT_TRUE(baseline.deterministic) << "the baseline changed between runs:\n" << baseline.log.report();
  EXPECT_EQ(verify_baseline(c).output_bits, baseline.output_bits) << "the baseline changed between arrays";
}

TEST_F(GpuTrainStep, BaselineRejectsAnotherShape) {
  const TrainStepBuffers arrays(Backend::cuda, 100, 20, 3);
  const TrainStepCall call = arrays.call(Loss::mse, 100);
  TrainStepCall other = call;
  other.n = 99;
  TrainStepBaseline baseline(other);
  EXPECT_THROW(baseline.run(call, nullptr), InputError);
}

TEST_F(GpuTrainStep, BaselineRejectsSoftmaxCe) {
  const TrainStepBuffers arrays(Backend::cuda, 100, 20, 3);
  const TrainStepCall call = arrays.call(Loss::softmax_ce, 100);
  TrainStepBaseline baseline(call);
  EXPECT_THROW(baseline.run(call, nullptr), InputError);
}

}  // namespace
}  // namespace lossbench
