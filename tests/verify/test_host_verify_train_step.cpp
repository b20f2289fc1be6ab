// verify_train_step_case fails a wrong step and says where: a step run on
// the ref backend and then deliberately corrupted by the test (through the
// runner argument, as the GPU test passes the cuBLAS baseline) must fail with
// the corrupted elements listed (index, inputs, got, expected, bound), an
// output left poisoned counted as unwritten, a write next to an output and a
// rerun with other bits reported; the same step uncorrupted passes.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "lossbench/core/error.hpp"
#include "lossbench/train/train_step.hpp"
#include "lossbench/train/train_step_bounds.hpp"
#include "lossbench/verify/verify_train_step.hpp"

namespace lossbench {
namespace {

TrainStepVerifyCase small_case() {
  TrainStepVerifyCase c;
  c.loss = Loss::bce;
  c.n = 9;
  c.d = 5;
  c.k = 3;
  c.x_offset = 1;
  c.seed = 42;
  return c;
}

// The ref step, then `corrupt` on its outputs; `runs` counts the calls.
template <class Corrupt>
TrainStepVerifyResult verify_corrupted(Corrupt corrupt) {
  const TrainStepVerifyCase c = small_case();
  int runs = 0;
  const TrainStepRunner run = [&](const TrainStepCall& call) {
    train_step(call, Backend::ref, nullptr, 0);
    corrupt(call, ++runs);
  };
  return verify_train_step_case(c, Backend::ref, run, fused_train_step_sum_lengths(c.n, c.d));
}

TEST(HostVerifyTrainStep, RefusesAnEmptyShape) {
  TrainStepVerifyCase c = small_case();
  c.k = 0;
  const TrainStepRunner never = [](const TrainStepCall&) { ADD_FAILURE() << "ran an empty shape"; };
  EXPECT_THROW(verify_train_step_case(c, Backend::ref, never, fused_train_step_sum_lengths(c.n, c.d)), InputError);
  EXPECT_THROW(verify_train_step_case(c, Backend::ref), InputError);
}

// The trainer's call (u8 pixels through a shuffled order, a cursor, the
// update in place) on the ref backend, whose update is the same fma of the
// same rounded gradient: it passes, W, b and both loss slots are its outputs.
TEST(HostVerifyTrainStep, TheTrainersCallPassesOnTheReference) {
  for (const int offset : {0, 1}) {
    TrainStepVerifyCase c = small_case();
    c.trainer = true;
    c.x_offset = offset;
    const TrainStepVerifyResult r = verify_train_step_case(c, Backend::ref);
    EXPECT_TRUE(r.passed()) << r.log.report();
    EXPECT_EQ(r.log.checked_elements(), 5 * 3 + 3 + 1);
    EXPECT_EQ(r.output_bits.size(), (5 * 3 + 3) * sizeof(float) + 2 * sizeof(double));
    EXPECT_EQ(r.config.name(), "train/bce/n=9/d=5/k=3/off=" + std::to_string(offset) + "/trainer");
  }
  TrainStepVerifyCase c = small_case();
  c.trainer = true;
  const TrainStepRunner never = [](const TrainStepCall&) { ADD_FAILURE() << "ran the trainer's call elsewhere"; };
  EXPECT_THROW(verify_train_step_case(c, Backend::ref, never, fused_train_step_sum_lengths(c.n, c.d)), InputError);
}

TEST(HostVerifyTrainStep, TheUncorruptedStepPasses) {
  const TrainStepVerifyResult r = verify_corrupted([](const TrainStepCall&, int) {});
  EXPECT_TRUE(r.passed()) << r.log.report();
  EXPECT_EQ(r.log.checked_elements(), 5 * 3 + 3 + 1);
  EXPECT_EQ(r.output_bits.size(), (5 * 3 + 3) * sizeof(float) + sizeof(double));
  EXPECT_EQ(r.config.name(), "train/bce/n=9/d=5/k=3/off=1");
}

TEST(HostVerifyTrainStep, AWrongElementIsListedWithWhatItWasComputedFrom) {
  const TrainStepVerifyResult r = verify_corrupted([](const TrainStepCall& call, int) {
    call.grad_weights[7] += 0.01f;  // c = 2, j = 1
    call.grad_bias[2] *= 2.0f;
    *call.loss_value += 1.0;
  });
  EXPECT_FALSE(r.passed());
  EXPECT_GT(r.grad_weights_error, 1.0);
  EXPECT_GT(r.grad_bias_error, 1.0);
  EXPECT_GT(r.loss_error, 1.0);
  EXPECT_TRUE(r.all_written);
  EXPECT_TRUE(r.deterministic);
  EXPECT_EQ(r.log.failed_elements(), 3);
  ASSERT_EQ(r.log.mismatches().size(), 3u);
  const Mismatch& m = r.log.mismatches()[0];
  EXPECT_EQ(m.output, "dW");
  EXPECT_EQ(m.index, 7);
  EXPECT_NEAR(m.got - m.expected, 0.01, 1e-6);
  EXPECT_LT(m.bound, 1e-5);
  const std::string report = r.log.report();
  EXPECT_NE(report.find("dW[7] (input c = 2, output j = 1; sum of |terms| "), std::string::npos) << report;
  EXPECT_NE(report.find("db[2] (output j = 2;"), std::string::npos) << report;
  EXPECT_NE(report.find("L[0] (the mean over 9 rows"), std::string::npos) << report;
  for (const char* word : {"got ", "expected ", "bound "}) EXPECT_NE(report.find(word), std::string::npos) << report;
}

TEST(HostVerifyTrainStep, AnUnwrittenElementAndAWriteOutsideAreCaught) {
  const TrainStepVerifyResult r = verify_corrupted([](const TrainStepCall& call, int) {
    call.grad_weights[14] = std::numeric_limits<float>::quiet_NaN();  // as if never written
    call.grad_bias[3] = 0.0f;  // one past the end of db
  });
  EXPECT_FALSE(r.passed());
  EXPECT_FALSE(r.all_written);
  EXPECT_EQ(r.log.unwritten_elements(), 1);
  EXPECT_FALSE(r.log.guards_intact());
  EXPECT_NE(r.log.report().find("dW[14]"), std::string::npos) << r.log.report();
  EXPECT_NE(r.log.report().find("guard element next to db changed"), std::string::npos) << r.log.report();
}

TEST(HostVerifyTrainStep, ASecondRunWithOtherBitsIsCaught) {
  const TrainStepVerifyResult r = verify_corrupted([](const TrainStepCall& call, int run) {
    if (run == 2) call.grad_weights[0] = std::nextafter(call.grad_weights[0], 1.0f);  // within the bound
  });
  EXPECT_FALSE(r.passed());
  EXPECT_FALSE(r.deterministic);
  EXPECT_EQ(r.log.failed_elements(), 0);
  EXPECT_NE(r.log.report().find("a second run gave different bits in dW from byte 0"), std::string::npos)
      << r.log.report();
}

// softmax-ce's bound tells losses apart: its own step passes, the same
// step computed with sigmoid + bce fails on every output, and a gradient
// off by 1e-4 of its magnitude fails too.
TEST(HostVerifyTrainStep, SoftmaxCeFailsAStepOfAnotherLossOrSlightlyOff) {
  TrainStepVerifyCase c = small_case();
  c.loss = Loss::softmax_ce;
  const auto verify_with = [&](Loss loss, float weight_factor) {
    const TrainStepRunner run = [&](const TrainStepCall& call) {
      TrainStepCall other = call;
      other.loss = loss;
      train_step(other, Backend::ref, nullptr, 0);
      call.grad_weights[4] *= weight_factor;
    };
    return verify_train_step_case(c, Backend::ref, run, fused_train_step_sum_lengths(c.n, c.d));
  };
  const TrainStepVerifyResult own = verify_with(Loss::softmax_ce, 1.0f);
  EXPECT_TRUE(own.passed()) << own.log.report();
  EXPECT_EQ(own.config.name(), "train/softmax-ce/n=9/d=5/k=3/off=1");
  const TrainStepVerifyResult bce = verify_with(Loss::bce, 1.0f);
  EXPECT_FALSE(bce.passed());
  EXPECT_GT(bce.grad_weights_error, 1.0);
  EXPECT_GT(bce.grad_bias_error, 1.0);
  EXPECT_GT(bce.loss_error, 1.0);
  const TrainStepVerifyResult off = verify_with(Loss::softmax_ce, 1.0f + 1e-4f);
  EXPECT_FALSE(off.passed());
  EXPECT_EQ(off.log.failed_elements(), 1) << off.log.report();
  EXPECT_NE(off.log.report().find("dW[4] (input c = 1, output j = 1; sum of |terms| "), std::string::npos)
      << off.log.report();
}

}  // namespace
}  // namespace lossbench
