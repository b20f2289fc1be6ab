// Training on the cpu backend: the trainer's steps (u8 or f32 X read through
// a shuffled order, the step cursor, the SGD update in place) within the
// derived bound of the double-precision reference at every step of two
// epochs (trajectory_check.hpp, as for the emulated kernel); train() on cpu
// against train() on ref; and the same bits for 1 to 4 threads.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "lossbench/core/cpu_threads.hpp"
#include "lossbench/train/trainer.hpp"
#include "train/trajectory_check.hpp"
#include "train/training_equivalences.hpp"

namespace lossbench {
namespace {

constexpr std::uint64_t kSeed = 20261207;

class HostCpuTraining : public ::testing::Test {
 protected:
  void TearDown() override { set_cpu_threads(0); }
};

// Fashion-MNIST's shape; batch 64 (32 steps of 4 tiles) and 100 (20 steps
// and one of 48, tiles of 16 with a short last one).
TEST_F(HostCpuTraining, EveryStepOfTwoEpochsIsWithinTheBoundOfTheReference) {
  const Dataset data = testing::random_pixel_dataset(2048, 784, 10, kSeed);
  struct Case {
    Loss loss;
    InputType type;
    std::size_t batch;
    std::size_t offset;
  };
  for (const Case c : {Case{Loss::bce, InputType::u8, 64, 0}, Case{Loss::mse, InputType::f32, 100, 0},
                       Case{Loss::bce, InputType::f32, 100, 1}, Case{Loss::mse, InputType::u8, 64, 1},
                       Case{Loss::softmax_ce, InputType::u8, 64, 0}, Case{Loss::softmax_ce, InputType::f32, 100, 1}}) {
    testing::TrajectorySpec spec;
    spec.loss = c.loss;
    spec.input_type = c.type;
    spec.batch = c.batch;
    spec.learning_rate = c.loss == Loss::mse ? 0.5f : 0.1f;
    // softmax-ce takes η from a table at the cursor (the trainer's path), the others the call's η.
    spec.schedule = c.loss == Loss::softmax_ce ? LearningRateSchedule::linear : LearningRateSchedule::constant;
    spec.seed = kSeed;
    spec.input_offset = c.offset;
    const testing::TrajectoryCheck r = testing::check_trajectory(Backend::cpu, data, spec);
    const std::string name = std::string(to_string(c.loss)) + "/" + std::string(to_string(c.type)) + "/batch " +
                             std::to_string(c.batch) + "/offset " + std::to_string(c.offset);
    EXPECT_EQ(r.steps, c.batch == 64 ? 64 : 42) << name;
    EXPECT_EQ(r.failed_steps, 0) << name << ": " << r.first_failure;
    EXPECT_LE(r.worst, 1.0) << name;
    std::printf("%s: %d steps, worst error %.3f of the bound\n", name.c_str(), r.steps, r.worst);
  }
}

TEST_F(HostCpuTraining, TheTrainerMatchesTheReferenceBackendOverTwoEpochs) {
  const DatasetSplit data = testing::random_pixel_split(2048, 1000, 784, 10, kSeed);
  for (const Loss loss : {Loss::mse, Loss::bce, Loss::softmax_ce}) {
    TrainerOptions options;
    options.loss = loss;
    options.epochs = 2;
    options.input_type = InputType::u8;
    options.backend = Backend::ref;
    const TrainingResult ref = train(options, data.train, data.test);
    options.backend = Backend::cpu;
    const TrainingResult cpu = train(options, data.train, data.test);
    ASSERT_EQ(cpu.epochs.size(), ref.epochs.size());
    for (std::size_t e = 0; e < ref.epochs.size(); ++e) {
      EXPECT_NEAR(cpu.epochs[e].train_loss, ref.epochs[e].train_loss, 1e-5 * ref.epochs[e].train_loss)
          << to_string(loss) << " epoch " << e + 1;
      EXPECT_NEAR(cpu.epochs[e].test_loss, ref.epochs[e].test_loss, 1e-5 * ref.epochs[e].test_loss)
          << to_string(loss) << " epoch " << e + 1;
      EXPECT_NEAR(cpu.epochs[e].test_accuracy, ref.epochs[e].test_accuracy, 3.0 / 1000 + 1e-12)
          << to_string(loss) << " epoch " << e + 1 << ": a few near ties may flip";
    }
  }
}

TEST_F(HostCpuTraining, PixelsAndTheirFloatsTrainToTheSameBits) {
  testing::expect_pixels_and_floats_train_alike(Backend::cpu, kSeed);
}

TEST_F(HostCpuTraining, SameBitsForOneToFourThreads) {
  const DatasetSplit data = testing::random_pixel_split(1000, 1000, 784, 10, kSeed);
  TrainerOptions options;
  options.backend = Backend::cpu;
  options.input_type = InputType::u8;
  options.epochs = 2;
  options.batch = 64;
  set_cpu_threads(1);
  const TrainingResult first = train(options, data.train, data.test);
  for (const int threads : {2, 3, 4}) {
    set_cpu_threads(threads);
    const TrainingResult again = train(options, data.train, data.test);
    EXPECT_EQ(again.model.weights, first.model.weights) << threads << " threads";
    EXPECT_EQ(again.model.bias, first.model.bias) << threads << " threads";
    for (std::size_t e = 0; e < first.epochs.size(); ++e) {
      EXPECT_EQ(again.epochs[e].train_loss, first.epochs[e].train_loss) << threads << " threads";
      EXPECT_EQ(again.epochs[e].test_loss, first.epochs[e].test_loss) << threads << " threads";
      EXPECT_EQ(again.epochs[e].test_accuracy, first.epochs[e].test_accuracy) << threads << " threads";
    }
  }
}

}  // namespace
}  // namespace lossbench
