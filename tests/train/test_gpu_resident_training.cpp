// Device-resident training on a real GPU: the trainer's steps (u8 X through
// a shuffled order, the step cursor, the SGD update in the finalize kernel)
// within the derived bound of the double-precision reference at every step
// of 2 epochs of 2048 examples (trajectory_check.hpp, as under the
// emulator); the trainer's epochs, recorded as CUDA Graphs, cost two host
// copies each and give the same bits on a rerun, and train like the
// reference backend. Skips, saying why, without a usable GPU.
#include <gtest/gtest.h>

#include "lossbench/core/backend.hpp"
#include "lossbench/train/trainer.hpp"
#include "train/trajectory_check.hpp"

namespace lossbench {
namespace {

constexpr std::uint64_t kSeed = 20261201;

class GpuResidentTraining : public ::testing::Test {
 protected:
  void SetUp() override {
    const BackendAvailability cuda = backend_availability(Backend::cuda);
    if (!cuda.available) GTEST_SKIP() << "no GPU to run on: " << cuda.reason;
  }
};

TEST_F(GpuResidentTraining, EveryStepOfTwoEpochsIsWithinTheBoundOfTheReference) {
  const Dataset data = testing::random_pixel_dataset(2048, 784, 10, kSeed);
  for (const Loss loss : {Loss::bce, Loss::mse, Loss::softmax_ce}) {
    testing::TrajectorySpec spec;
    spec.loss = loss;
    spec.batch = 100;  // 20 full steps and one of 48
    // softmax-ce takes η from a table at the cursor (the trainer's path), the others the call's η.
    spec.schedule = loss == Loss::softmax_ce ? LearningRateSchedule::linear : LearningRateSchedule::constant;
    spec.seed = kSeed;
    const testing::TrajectoryCheck r = testing::check_trajectory(Backend::cuda, data, spec);
    EXPECT_EQ(r.steps, 42);
    EXPECT_EQ(r.failed_steps, 0) << to_string(loss) << ": " << r.first_failure;
  }
}

TEST_F(GpuResidentTraining, GraphsReplayedEpochsCostTwoCopiesRepeatAndTrainLikeTheReference) {
  DatasetSplit data;
  data.train = testing::random_pixel_dataset(2048, 784, 10, kSeed);
  data.test = testing::random_pixel_dataset(512, 784, 10, kSeed + 1);
  TrainerOptions options;
  options.epochs = 2;
  options.batch = 64;
  options.input_type = InputType::u8;
  options.backend = Backend::cuda;
  const TrainingResult first = train(options, data.train, data.test);
  const TrainingResult second = train(options, data.train, data.test);
  EXPECT_EQ(first.model.weights, second.model.weights);
  for (const EpochResult& e : first.epochs) EXPECT_EQ(e.host_copies, 2u) << "epoch " << e.epoch;
  options.backend = Backend::ref;
  const TrainingResult ref = train(options, data.train, data.test);
  for (std::size_t e = 0; e < ref.epochs.size(); ++e) {
    EXPECT_NEAR(first.epochs[e].train_loss, ref.epochs[e].train_loss, 1e-5 * ref.epochs[e].train_loss);
    EXPECT_NEAR(first.epochs[e].test_accuracy, ref.epochs[e].test_accuracy, 2.0 / 512 + 1e-12);
  }
}

}  // namespace
}  // namespace lossbench
