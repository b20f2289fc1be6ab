// The fused training step, run by the emulator from the same source nvcc
// compiles, through the shared verification (verify_train_step.hpp) that
// `lossbench verify` runs: shapes at the edges (n around the tile and block
// partition, d around the vector width and the 256 columns a thread steps
// over, every compiled output capacity and the k between them), aligned and
// misaligned X, saturated logits, each output element within its bound of
// the double-precision reference, every output written, nothing around them
// touched, the same bits on every run, schedule and worker count; for every
// loss (mse, bce, softmax-ce). Also checks
// the partition, the refusal of shapes beyond the kernel, and the reference
// itself against central differences of its own loss.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "common/sweep_size.hpp"
#include "emu/options.hpp"
#include "kernels/train/train_step_tiling.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/reference/train_step_reference.hpp"
#include "lossbench/train/train_step.hpp"
#include "lossbench/verify/verify_train_step.hpp"
#include "verify/train_step_verify_inputs.hpp"

namespace lossbench {
namespace {

constexpr std::uint64_t kSeed = 20261125;

// The full sweep of one loss but its 256-block shape (n = 16385: about 14 s
// a case under the emulator; `lossbench verify` and the GPU test run it);
// the quick sweep under LOSSBENCH_TEST_SWEEPS=quick (common/sweep_size.hpp).
void verify_sweep(Loss loss) {
  int ran = 0;
  for (const TrainStepVerifyCase& c : standard_train_step_verify_cases(testing::quick_sweeps(), kSeed)) {
    if (c.loss != loss || c.n > 1003) continue;
    const TrainStepVerifyResult r = verify_train_step_case(c, Backend::emu);
    ++ran;
    EXPECT_TRUE(r.passed()) << c.name() << " seed=" << c.seed << ":\n" << r.log.report();
  }
  // The full sweep has over 40 cases of each loss in this range, the quick one 38.
  EXPECT_GE(ran, testing::quick_sweeps() ? 35 : 40) << "the sweep has too few " << to_string(loss) << " cases";
}

TEST(KernelsTrainStep, MseMatchesReferenceAcrossShapes) { verify_sweep(Loss::mse); }
TEST(KernelsTrainStep, BceMatchesReferenceAcrossShapes) { verify_sweep(Loss::bce); }
TEST(KernelsTrainStep, SoftmaxCeMatchesReferenceAcrossShapes) { verify_sweep(Loss::softmax_ce); }

// The quick sweep (what `lossbench verify --quick` runs) has every edge.
TEST(KernelsTrainStep, QuickSweepHasEveryEdgeAndBothPaths) {
  const auto cases = standard_train_step_verify_cases(/*quick=*/true, kSeed);
  const auto has = [&](auto predicate) {
    for (const TrainStepVerifyCase& c : cases) {
      if (predicate(c)) return true;
    }
    return false;
  };
  const TrainStepLimits limits = train_step_limits(Backend::emu);
  for (const TrainStepVerifyCase& c : standard_train_step_verify_cases(/*quick=*/false, kSeed)) {
    EXPECT_TRUE(c.d <= limits.max_inputs && c.k <= limits.max_outputs) << c.name() << " is beyond the kernel";
  }
  for (const std::int64_t n : {1, 7, 8, 9, 63, 64, 65, 1003}) {
    EXPECT_TRUE(has([&](const TrainStepVerifyCase& c) { return c.n == n; })) << "n = " << n;
  }
  for (const int d : {1, 3, 4, 5, 784, 1023, 1024}) {
    EXPECT_TRUE(has([&](const TrainStepVerifyCase& c) { return c.d == d; })) << "d = " << d;
  }
  for (const int k : {1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 16}) {
    EXPECT_TRUE(has([&](const TrainStepVerifyCase& c) { return c.k == k; })) << "k = " << k;
  }
  for (const Loss loss : {Loss::mse, Loss::bce, Loss::softmax_ce}) {
    for (const int offset : {0, 1}) {
      EXPECT_TRUE(has([&](const TrainStepVerifyCase& c) {
        return c.loss == loss && c.x_offset == offset && c.saturated;
      })) << to_string(loss) << " saturated at offset " << offset;
    }
  }
}

// bce, and softmax-ce, whose rows are reduced across lanes by shuffles.
TEST(KernelsTrainStep, SameBitsEveryRunScheduleAndWorkerCount) {
  for (const Loss loss : {Loss::bce, Loss::softmax_ce}) {
    TrainStepVerifyCase c;
    c.loss = loss;
    c.n = 700;  // 11 blocks
    c.d = 200;
    c.k = 10;
    c.seed = 99;
    const TrainStepVerifyResult first = verify_train_step_case(c, Backend::emu);
    ASSERT_TRUE(first.passed()) << c.name() << ":\n" << first.log.report();
    const emu::Options saved = emu::current_options();
    for (const char* schedule : {"reverse", "random:3"}) {
      for (const unsigned workers : {1u, 3u}) {
        emu::set_schedule(emu::Schedule::parse(schedule));
        emu::set_workers(workers);
        const TrainStepVerifyResult again = verify_train_step_case(c, Backend::emu);
        EXPECT_TRUE(again.passed()) << c.name() << ", schedule " << schedule << ", workers " << workers << ":\n"
                                    << again.log.report();
        EXPECT_EQ(again.output_bits, first.output_bits)
            << c.name() << ", schedule " << schedule << ", workers " << workers;
      }
    }
    emu::set_schedule(saved.schedule);
    emu::set_workers(saved.workers);
  }
}

TEST(KernelsTrainStep, PartitionDependsOnNOnlyAndCoversEveryRow) {
  for (const std::int64_t n : {std::int64_t{1}, std::int64_t{8}, std::int64_t{64}, std::int64_t{65},
                               std::int64_t{16384}, std::int64_t{16385}, std::int64_t{60000},
                               std::int64_t{1} << 40}) {
    const kernels::TrainStepPartition p = kernels::train_step_partition(n);
    EXPECT_GE(p.blocks, 1);
    EXPECT_LE(p.blocks, kernels::kTrainMaxBlocks);
    EXPECT_EQ(p.rows_per_block % kernels::kTrainTileRows, 0) << n;
    EXPECT_GE(p.blocks * p.rows_per_block, n) << "rows left over at n = " << n;
    EXPECT_LT((p.blocks - 1) * p.rows_per_block, n) << "an empty block at n = " << n;
  }
}

TEST(KernelsTrainStep, RejectsShapesTheKernelCannotTake) {
  TrainStepVerifyCase c;
  c.n = 4;
  c.d = train_step_limits(Backend::emu).max_inputs + 1;
  c.k = 2;
  EXPECT_THROW(verify_train_step_case(c, Backend::emu), InputError);
  c.d = 4;
  c.k = train_step_limits(Backend::emu).max_outputs + 1;
  EXPECT_THROW(verify_train_step_case(c, Backend::emu), InputError);
}

// The reference's dW and db are the derivatives of its own loss: central
// differences in double agree to ~1e-7 relative.
TEST(ReferenceTrainStep, GradientsAreDerivativesOfTheLoss) {
  const std::int64_t n = 5;
  const int d = 6;
  const int k = 3;
  for (const Loss loss : {Loss::mse, Loss::bce, Loss::softmax_ce}) {
    detail::TrainStepVerifyInputs in = detail::make_train_step_verify_inputs(n, d, k, 5, 2.0f);
    const auto step = [&] {
      return reference::train_step(loss, in.inputs.data(), in.targets.data(), in.weights.data(), in.bias.data(), n,
                                   d, k);
    };
    const reference::TrainStepResult r = step();
    const auto loss_at = [&](std::vector<float>& v, std::size_t e, float h) {
      const float saved = v[e];
      v[e] = saved + h;
      const double l = step().loss;
      v[e] = saved;
      return l;
    };
    const float h = 1.0f / 1024;  // exact in float, so w ± h is what the reference sees
    for (std::size_t e = 0; e < in.weights.size(); ++e) {
      const double numeric = (loss_at(in.weights, e, h) - loss_at(in.weights, e, -h)) / (2.0 * h);
      EXPECT_NEAR(r.grad_weights[e], numeric, 1e-5 * (1.0 + std::fabs(numeric))) << to_string(loss) << " dW " << e;
    }
    for (std::size_t j = 0; j < in.bias.size(); ++j) {
      const double numeric = (loss_at(in.bias, j, h) - loss_at(in.bias, j, -h)) / (2.0 * h);
      EXPECT_NEAR(r.grad_bias[j], numeric, 1e-5 * (1.0 + std::fabs(numeric))) << to_string(loss) << " db " << j;
    }
  }
}

}  // namespace
}  // namespace lossbench
