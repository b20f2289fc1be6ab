// The trainer: it learns a separable problem, the emulated kernel trains like
// the double-precision reference, a seed fixes every number, MSE from a
// saturated start lags cross-entropy (the seed's point, measured on a real
// minibatch run), the learning-rate schedule, and bad options are InputErrors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>

#include "lossbench/core/error.hpp"
#include "lossbench/data/synthetic_dataset.hpp"
#include "lossbench/train/trainer.hpp"

namespace lossbench {
namespace {

DatasetSplit separable(std::size_t train_count = 2048, int d = 32, int k = 4) {
  SyntheticSpec spec;
  spec.d = d;
  spec.k = k;
  spec.train_count = train_count;
  spec.test_count = 512;
  spec.seed = 20261125;
  return make_synthetic_dataset(spec);
}

TEST(HostTrainer, CrossEntropyLearnsSeparableClassesInAFewEpochs) {
  const DatasetSplit data = separable();
  TrainerOptions options;
  options.epochs = 3;
  const TrainingResult r = train(options, data.train, data.test);
  ASSERT_EQ(r.epochs.size(), 3u);
  EXPECT_GT(r.epochs.back().test_accuracy, 0.95);
  EXPECT_LT(r.epochs.back().train_loss, r.epochs.front().train_loss) << "the training loss must fall";
  for (const EpochResult& e : r.epochs) {
    EXPECT_EQ(e.epoch, &e - r.epochs.data() + 1);
    EXPECT_GT(e.seconds, 0.0);
    EXPECT_NEAR(e.samples_per_second * e.seconds, 2048.0, 1e-6 * 2048.0);
  }
}

// Progress is reported within an epoch no more often than the interval (0:
// after every step on ref, every replayed sequence on emu) and at its end.
TEST(HostTrainer, ProgressReportsEndEachEpochWithItsMeanLoss) {
  const DatasetSplit data = separable(100);
  for (const Backend backend : {Backend::ref, Backend::emu}) {
    TrainerOptions options;
    options.epochs = 2;
    options.batch = 32;  // 100 = 3 × 32 + 4
    options.backend = backend;
    options.progress_interval = 0.0;
    std::vector<BatchProgress> seen;
    std::vector<EpochResult> epochs;
    TrainingCallbacks callbacks;
    callbacks.on_batch = [&](const BatchProgress& p) { seen.push_back(p); };
    callbacks.on_epoch = [&](const EpochResult& e) { epochs.push_back(e); };
    train(options, data.train, data.test, callbacks);
    ASSERT_EQ(epochs.size(), 2u);
    // ref: after steps 1, 2, 3 and the end; emu: after the recorded 3 full steps and the end.
    const std::vector<std::size_t> expected =
        backend == Backend::ref ? std::vector<std::size_t>{1, 2, 3, 4} : std::vector<std::size_t>{3, 4};
    ASSERT_EQ(seen.size(), 2 * expected.size()) << to_string(backend);
    for (std::size_t i = 0; i < seen.size(); ++i) {
      const std::size_t in_epoch = i % expected.size();
      EXPECT_EQ(seen[i].epoch, static_cast<int>(i / expected.size()) + 1) << to_string(backend);
      EXPECT_EQ(seen[i].batch, expected[in_epoch]) << to_string(backend);
      EXPECT_EQ(seen[i].batches, 4u);
      EXPECT_TRUE(std::isfinite(seen[i].loss));
      if (in_epoch + 1 == expected.size()) {
        EXPECT_EQ(seen[i].loss, epochs[i / expected.size()].train_loss) << "the last report is the epoch's loss";
      }
    }
    options.progress_interval = 3600.0;
    seen.clear();
    train(options, data.train, data.test, callbacks);
    ASSERT_EQ(seen.size(), 2u) << "an hour's interval leaves only the epochs' ends";
  }
}

TEST(HostTrainer, TheSameSeedGivesTheSameNumbersAndAnotherSeedDoesNot) {
  const DatasetSplit data = separable(512);
  TrainerOptions options;
  options.epochs = 2;
  options.batch = 50;
  options.init = ModelInit::normal;
  const TrainingResult first = train(options, data.train, data.test);
  const TrainingResult second = train(options, data.train, data.test);
  for (std::size_t e = 0; e < first.epochs.size(); ++e) {
    EXPECT_EQ(first.epochs[e].train_loss, second.epochs[e].train_loss) << "epoch " << e + 1;
    EXPECT_EQ(first.epochs[e].test_accuracy, second.epochs[e].test_accuracy) << "epoch " << e + 1;
  }
  EXPECT_EQ(first.model.weights, second.model.weights);
  EXPECT_EQ(first.model.bias, second.model.bias);
  options.seed = 2;
  const TrainingResult other = train(options, data.train, data.test);
  EXPECT_NE(first.model.weights, other.model.weights) << "the seed must drive initialisation and shuffling";
}

// The kernel sums in float32 in its own order, the reference in double: the
// losses agree closely and the models classify the same way.
TEST(HostTrainer, EmulatedKernelTrainsLikeTheReference) {
  const DatasetSplit data = separable(256, 20, 4);
  for (const Loss loss : {Loss::mse, Loss::bce, Loss::softmax_ce}) {
    TrainerOptions options;
    options.loss = loss;
    options.epochs = 2;
    options.batch = 40;
    options.backend = Backend::ref;
    const TrainingResult ref = train(options, data.train, data.test);
    options.backend = Backend::emu;
    const TrainingResult emu = train(options, data.train, data.test);
    for (std::size_t e = 0; e < ref.epochs.size(); ++e) {
      EXPECT_NEAR(emu.epochs[e].train_loss, ref.epochs[e].train_loss, 1e-5 * (1 + ref.epochs[e].train_loss))
          << to_string(loss) << " epoch " << e + 1;
      EXPECT_NEAR(emu.epochs[e].test_accuracy, ref.epochs[e].test_accuracy, 1.0 / 512 + 1e-12)
          << to_string(loss) << " epoch " << e + 1 << ": at most one test example may flip";
    }
    for (std::size_t p = 0; p < ref.model.weights.size(); ++p) {
      ASSERT_NEAR(emu.model.weights[p], ref.model.weights[p], 1e-4) << to_string(loss) << " weight " << p;
    }
  }
}

// The seed's point on a real minibatch run: from W = 0, b = +4 (every output
// ≈ 0.98, three of four targets 0), cross-entropy's gradient a − y is ≈ 1 and
// MSE's is that times σ'(z) ≈ 0.018, so after one epoch at the same learning
// rate MSE's model is still far worse.
TEST(HostTrainer, MseFromASaturatedStartLagsCrossEntropy) {
  const DatasetSplit data = separable();
  TrainerOptions options;
  options.epochs = 1;
  options.init = ModelInit::saturated;
  options.learning_rate = 0.05;
  options.loss = Loss::bce;
  const TrainingResult bce = train(options, data.train, data.test);
  options.loss = Loss::mse;
  const TrainingResult mse = train(options, data.train, data.test);
  const double bce_accuracy = bce.epochs[0].test_accuracy;
  const double mse_accuracy = mse.epochs[0].test_accuracy;
  EXPECT_GT(bce_accuracy, 0.9);
  EXPECT_LT(mse_accuracy, bce_accuracy - 0.2) << "bce " << bce_accuracy << ", mse " << mse_accuracy;
  std::printf("after one epoch from the saturated start: bce %.4f, mse %.4f test accuracy\n", bce_accuracy,
              mse_accuracy);
}

TEST(HostTrainer, TheLinearScheduleFallsFromEtaToEtaOverTheStepsAtTheLastStep) {
  EXPECT_EQ(scheduled_learning_rate(LearningRateSchedule::constant, 0.5, 99, 100), 0.5);
  EXPECT_EQ(scheduled_learning_rate(LearningRateSchedule::linear, 0.5, 0, 100), 0.5);
  EXPECT_DOUBLE_EQ(scheduled_learning_rate(LearningRateSchedule::linear, 0.5, 50, 100), 0.25);
  EXPECT_NEAR(scheduled_learning_rate(LearningRateSchedule::linear, 0.5, 99, 100), 0.005, 1e-15);
  EXPECT_EQ(parse_learning_rate_schedule("linear"), LearningRateSchedule::linear);
  EXPECT_EQ(to_string(parse_learning_rate_schedule("constant")), "constant");
  EXPECT_THROW(parse_learning_rate_schedule("cosine"), InputError);
}

// The schedule changes only η: a linear run's first epoch of two starts at
// the constant run's η and then takes smaller steps, so it moves W less.
TEST(HostTrainer, ALinearScheduleTakesSmallerStepsThanAConstantOne) {
  const DatasetSplit data = separable(256, 8, 3);
  TrainerOptions options;
  options.epochs = 2;
  options.batch = 32;
  options.init = ModelInit::zero;
  options.schedule = LearningRateSchedule::constant;
  const TrainingResult constant = train(options, data.train, data.test);
  options.schedule = LearningRateSchedule::linear;
  const TrainingResult linear = train(options, data.train, data.test);
  double constant_norm = 0.0;
  double linear_norm = 0.0;
  for (std::size_t i = 0; i < constant.model.weights.size(); ++i) {
    constant_norm += constant.model.weights[i] * constant.model.weights[i];
    linear_norm += linear.model.weights[i] * linear.model.weights[i];
  }
  EXPECT_LT(linear_norm, constant_norm);
  EXPECT_GT(linear_norm, 0.0);
}

TEST(HostTrainer, RejectsBadOptionsAndData) {
  const DatasetSplit data = separable(64);
  const auto rejects = [&](TrainerOptions options, const char* what) {
    EXPECT_THROW(train(options, data.train, data.test), InputError) << what;
  };
  TrainerOptions good;
  good.epochs = 1;
  TrainerOptions o = good;
  o.batch = 0;
  rejects(o, "batch 0");
  o = good;
  o.epochs = -1;
  rejects(o, "epochs -1");
  for (const double lr : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(), 0.0,
                          -0.1}) {
    o = good;
    o.learning_rate = lr;
    rejects(o, "a learning rate that is not finite and positive");
  }
  o = good;
  o.init = static_cast<ModelInit>(99);
  rejects(o, "an unknown init");
  o = good;
  o.schedule = static_cast<LearningRateSchedule>(7);
  rejects(o, "an unknown learning-rate schedule");
  EXPECT_THROW(train(good, Dataset{}, data.test), InputError) << "an empty training set";
  const DatasetSplit other = separable(64, 16, 4);
  EXPECT_THROW(train(good, data.train, other.test), InputError) << "train and test of different d";
  good.epochs = 0;
  EXPECT_TRUE(train(good, data.train, data.test).epochs.empty()) << "0 epochs is allowed and does nothing";
}

}  // namespace
}  // namespace lossbench
