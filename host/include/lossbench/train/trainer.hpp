#pragma once
// Minibatch SGD of a SigmoidModel with the fused training step
// (train_step.hpp) on any backend: each epoch shuffles the training set,
// takes batches in that order, computes the loss and gradients with one
// train_step per batch, and updates W −= η·dL/dW, b −= η·dL/db on the host.
//
//   TrainerOptions options;  options.loss = Loss::bce;  options.epochs = 3;
//   TrainingResult r = train(options, split.train, split.test);
//   r.epochs[2].test_accuracy;  r.model.weights;
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "lossbench/core/backend.hpp"
#include "lossbench/data/dataset.hpp"
#include "lossbench/core/loss_kind.hpp"
#include "lossbench/train/sigmoid_model.hpp"

namespace lossbench {

struct TrainerOptions {
  Loss loss = Loss::bce;
  int epochs = 5;                 // ≥ 0; 0 returns the initial model
  int batch = 64;                 // examples per step, ≥ 1 (the last batch of an epoch may be smaller)
  double learning_rate = 0.1;     // η, finite and > 0
  std::uint64_t seed = 1;         // drives the initial weights and the shuffling
  ModelInit init = ModelInit::normal;
  Backend backend = Backend::ref;
};

/// Throws InputError naming the first bad option.
void validate(const TrainerOptions& options);

/// Reported after each step.
struct BatchProgress {
  int epoch = 0;              // 1-based
  std::size_t batch = 0;      // 1-based, of `batches`
  std::size_t batches = 0;
  double loss = 0.0;          // the step's L (mean over its examples)
};

struct EpochResult {
  int epoch = 0;                    // 1-based
  double train_loss = 0.0;          // mean of the steps' L weighted by batch size: the epoch's mean loss per example
  double test_accuracy = 0.0;       // after the epoch, in [0, 1], argmax of z in double
  double seconds = 0.0;             // wall time of the epoch's steps and updates (not of the test)
  double samples_per_second = 0.0;  // training examples / seconds
};

struct TrainingCallbacks {
  std::function<void(const BatchProgress&)> on_batch;  // may be empty
  std::function<void(const EpochResult&)> on_epoch;    // may be empty
};

struct TrainingResult {
  std::vector<EpochResult> epochs;
  SigmoidModel model;  // after the last epoch
};

/// Trains a model initialised by options.init on `train`, testing on `test`
/// after every epoch. Deterministic: the same options and data give the same
/// losses, accuracies and weights on every run (times aside).
/// Throws InputError for bad options, empty data or train and test of
/// different shapes (and, from train_step, d too large for emu or cuda);
/// BackendError when the backend cannot run.
TrainingResult train(const TrainerOptions& options, const Dataset& train, const Dataset& test,
                     const TrainingCallbacks& callbacks = {});

}  // namespace lossbench
