// Device-resident training under the emulator: the trainer's steps (u8 or
// f32 X read through a shuffled order, the step cursor, the SGD update in
// the finalize kernel) within the derived bound of the double-precision
// reference at every step of 2 epochs of 2048 examples; the trainer's epochs
// cost a fixed two host copies however many steps they take; u8 and f32
// inputs train to the same bits; reruns give the same bits under every
// schedule and worker count; the evaluation kernel against the reference.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "emu/options.hpp"
#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/data/synthetic_dataset.hpp"
#include "lossbench/train/evaluate.hpp"
#include "lossbench/train/trainer.hpp"
#include "train/trajectory_check.hpp"
#include "train/training_equivalences.hpp"

namespace lossbench {
namespace {

constexpr std::uint64_t kSeed = 20261201;

// Fashion-MNIST's shape: 784 pixels (a multiple of 4: the packed u8 path), 10 classes.
TEST(KernelsResidentTraining, EveryStepOfTwoEpochsIsWithinTheBoundOfTheReference) {
  const Dataset data = testing::random_pixel_dataset(2048, 784, 10, kSeed);
  struct Case {
    Loss loss;
    InputType type;
    std::size_t batch;  // 64: 32 full steps; 100: 20 full steps and one of 48
  };
  for (const Case c : {Case{Loss::bce, InputType::u8, 64}, Case{Loss::mse, InputType::f32, 100},
                       Case{Loss::softmax_ce, InputType::u8, 100}}) {
    testing::TrajectorySpec spec;
    spec.loss = c.loss;
    spec.input_type = c.type;
    spec.batch = c.batch;
    spec.learning_rate = c.loss == Loss::mse ? 0.5f : 0.1f;
    // softmax-ce takes η from a table at the cursor (the trainer's path), the others the call's η.
    spec.schedule = c.loss == Loss::softmax_ce ? LearningRateSchedule::linear : LearningRateSchedule::constant;
    spec.seed = kSeed;
    const testing::TrajectoryCheck r = testing::check_trajectory(Backend::emu, data, spec);
    const std::string name = std::string(to_string(c.loss)) + "/" + std::string(to_string(c.type));
    EXPECT_EQ(r.steps, c.batch == 64 ? 64 : 42) << name;
    EXPECT_EQ(r.failed_steps, 0) << name << ": " << r.first_failure;
    EXPECT_LE(r.worst, 1.0) << name;
    std::printf("%s: %d steps, worst error %.3f of the bound\n", name.c_str(), r.steps, r.worst);
  }
}

// Rows that do not start on a pack boundary take the element-by-element
// path: d not a multiple of 4, or X one element past an aligned address.
TEST(KernelsResidentTraining, UnpackedRowsAreWithinTheBoundToo) {
  struct Case {
    int d;
    std::size_t offset;
  };
  for (const Case c : {Case{33, 0}, Case{36, 1}}) {
    const Dataset data = testing::random_pixel_dataset(300, c.d, 3, kSeed);
    for (const InputType type : {InputType::u8, InputType::f32}) {
      testing::TrajectorySpec spec;
      spec.input_type = type;
      spec.batch = 64;  // 4 full steps and one of 44
      spec.input_offset = c.offset;
      const testing::TrajectoryCheck r = testing::check_trajectory(Backend::emu, data, spec);
      EXPECT_EQ(r.failed_steps, 0) << to_string(type) << " d = " << c.d << " offset " << c.offset << ": "
                                   << r.first_failure;
    }
  }
}

TEST(KernelsResidentTraining, AnEpochCostsTwoHostCopiesWhateverItsSteps) {
  const DatasetSplit data = testing::random_pixel_split(1024, 256, 36, 4, kSeed);
  for (const int batch : {16, 1024}) {
    TrainerOptions options;
    options.backend = Backend::emu;
    options.input_type = InputType::u8;
    options.epochs = 2;
    options.batch = batch;
    const TransferCounts before = transfer_counts(Backend::emu);
    const TrainingResult r = train(options, data.train, data.test);
    const TransferCounts after = transfer_counts(Backend::emu);
    for (const EpochResult& e : r.epochs) {
      EXPECT_EQ(e.host_copies, 2u) << "batch " << batch << ", epoch " << e.epoch
                                   << ": the order up, the step losses and test result down";
    }
    // Set-up (X, Y of both sets, W, b) and the final W and b: six more, once.
    EXPECT_EQ(after.uploads + after.downloads - before.uploads - before.downloads, 2u * 2 + 6 + 2) << batch;
  }
}

TEST(KernelsResidentTraining, PixelsAndTheirFloatsTrainToTheSameBits) {
  testing::expect_pixels_and_floats_train_alike(Backend::emu, kSeed);
}

TEST(KernelsResidentTraining, SameBitsUnderEveryScheduleAndWorkerCount) {
  const DatasetSplit data = testing::random_pixel_split(512, 256, 32, 4, kSeed);
  TrainerOptions options;
  options.backend = Backend::emu;
  options.input_type = InputType::u8;
  options.epochs = 2;
  options.batch = 64;
  const TrainingResult first = train(options, data.train, data.test);
  const emu::Options saved = emu::current_options();
  for (const char* schedule : {"reverse", "random:7"}) {
    for (const unsigned workers : {1u, 2u}) {
      emu::set_schedule(emu::Schedule::parse(schedule));
      emu::set_workers(workers);
      const TrainingResult again = train(options, data.train, data.test);
      EXPECT_EQ(again.model.weights, first.model.weights) << schedule << ", " << workers << " workers";
      EXPECT_EQ(again.model.bias, first.model.bias) << schedule << ", " << workers << " workers";
      for (std::size_t e = 0; e < first.epochs.size(); ++e) {
        EXPECT_EQ(again.epochs[e].train_loss, first.epochs[e].train_loss) << schedule;
        EXPECT_EQ(again.epochs[e].test_accuracy, first.epochs[e].test_accuracy) << schedule;
      }
    }
  }
  emu::set_schedule(saved.schedule);
  emu::set_workers(saved.workers);
}

TEST(KernelsResidentTraining, TheTrainerMatchesTheReferenceBackendOverTwoEpochs) {
  const DatasetSplit data = testing::random_pixel_split(2048, 256, 784, 10, kSeed);
  for (const Loss loss : {Loss::bce, Loss::softmax_ce}) {
    TrainerOptions options;
    options.loss = loss;
    options.epochs = 2;
    options.input_type = InputType::u8;
    options.backend = Backend::ref;
    const TrainingResult ref = train(options, data.train, data.test);
    options.backend = Backend::emu;
    const TrainingResult emu = train(options, data.train, data.test);
    for (std::size_t e = 0; e < ref.epochs.size(); ++e) {
      EXPECT_NEAR(emu.epochs[e].train_loss, ref.epochs[e].train_loss, 1e-5 * ref.epochs[e].train_loss)
          << to_string(loss);
      EXPECT_NEAR(emu.epochs[e].test_loss, ref.epochs[e].test_loss, 1e-5 * ref.epochs[e].test_loss)
          << to_string(loss);
      EXPECT_NEAR(emu.epochs[e].test_accuracy, ref.epochs[e].test_accuracy, 2.0 / 256 + 1e-12) << to_string(loss);
    }
  }
}

// The evaluation kernel against the reference backend's, on logits of order
// one: d = 1 and 33 element by element, 784 packed, 784 one element off an
// aligned address (element by element again); 1003 rows end in a short tile.
TEST(KernelsEvaluate, MatchesTheReference) {
  constexpr std::int64_t kRows = 1003;
  struct Case {
    int d;
    std::size_t offset;
  };
  for (const InputType type : {InputType::u8, InputType::f32}) {
    for (const Case c : {Case{1, 0}, Case{33, 0}, Case{784, 0}, Case{784, 1}}) {
      const int d = c.d;
      const Dataset data = testing::random_pixel_dataset(kRows, d, 10, kSeed + static_cast<std::uint64_t>(d));
      // X copied one element past an aligned address when c.offset is 1.
      const std::size_t element = type == InputType::u8 ? 1 : sizeof(float);
      std::vector<std::byte> x(c.offset * element + data.pixels.size() * element + 16);
      const auto aligned = (16 - reinterpret_cast<std::uintptr_t>(x.data()) % 16) % 16;
      std::byte* x_begin = x.data() + aligned + c.offset * element;
      std::memcpy(x_begin, type == InputType::u8 ? static_cast<const void*>(data.pixels.data()) : data.inputs.data(),
                  data.pixels.size() * element);
      std::vector<float> weights(static_cast<std::size_t>(d) * 10);
      for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = std::sin(static_cast<float>(i)) / std::sqrt(static_cast<float>(d));
      std::vector<float> bias(10, 0.1f);
      double results[2][2];
      for (const Backend backend : {Backend::ref, Backend::emu}) {
        EvaluateCall call;
        call.inputs = x_begin;
        call.input_type = type;
        call.targets = data.targets.data();
        call.weights = weights.data();
        call.bias = bias.data();
        call.n = kRows;
        call.d = d;
        call.k = 10;
        double* out = results[backend == Backend::emu];
        call.loss_value = &out[0];
        call.correct = &out[1];
        BackendBuffer workspace(backend, evaluate_workspace_size(call.n, d, 10, backend));
        evaluate(call, backend, workspace.data(), workspace.size());
      }
      EXPECT_NEAR(results[1][0], results[0][0], 1e-5 * results[0][0]) << "d = " << d << " offset " << c.offset;
      EXPECT_NEAR(results[1][1], results[0][1], 2.0) << "d = " << d << ": a near tie may flip";
      EXPECT_EQ(results[1][1], std::floor(results[1][1])) << "a count";
    }
  }
}

TEST(KernelsEvaluate, RejectsBadCalls) {
  std::vector<float> x(8, 0.5f), y(8, 0.0f), w(8, 0.0f), b(2, 0.0f);
  double loss = 0.0, correct = 0.0;
  EvaluateCall call;
  call.inputs = x.data();
  call.targets = y.data();
  call.weights = w.data();
  call.bias = b.data();
  call.n = 2;
  call.d = 4;
  call.k = 2;
  call.loss_value = &loss;
  call.correct = &correct;
  EXPECT_NO_THROW(validate(call));
  EvaluateCall bad = call;
  bad.correct = nullptr;
  EXPECT_THROW(validate(bad), InputError);
  bad = call;
  bad.correct = reinterpret_cast<double*>(w.data());
  EXPECT_THROW(validate(bad), InputError) << "an output over the weights";
  EXPECT_THROW(evaluate_workspace_size(2, 2000, 2, Backend::emu), InputError) << "d beyond the kernel";
}

}  // namespace
}  // namespace lossbench
