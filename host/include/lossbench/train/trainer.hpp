#pragma once
// Minibatch SGD of a SigmoidModel with the fused training step
// (train_step.hpp) on any backend: each epoch shuffles the training set,
// takes batches in that order, and takes one fused step per batch, which
// computes the loss and gradients and updates W −= η·dL/dW, b −= η·dL/db,
// with η following options.schedule (learning_rate_schedule.hpp).
//
// Everything stays in the backend's memory (for cuda, the GPU's): the data
// sets are uploaded once (X as uint8 pixels when options.input_type is u8),
// W and b are updated in place by the step's finalize kernel, each step's
// loss is kept in a device array. Per epoch the host uploads the shuffled
// order (the steps read their rows through it: no batch is ever gathered
// into a copy) with the epoch's η per step, and downloads the step losses and the test evaluation, which
// a forward-only kernel computes on the device: two copies, however many
// steps. On emu and cuda the epoch's steps are recorded once as launch
// sequences (CUDA Graphs; the emulator's replay lists) and replayed, with
// no synchronisation between steps.
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
#include "lossbench/train/learning_rate_schedule.hpp"
#include "lossbench/train/sigmoid_model.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench {

struct TrainerOptions {
  Loss loss = Loss::bce;
  int epochs = 5;                 // ≥ 0; 0 returns the initial model
  int batch = 64;                 // examples per step, ≥ 1 (the last batch of an epoch may be smaller)
  double learning_rate = 0.5;     // η (the first step's), finite and > 0
  LearningRateSchedule schedule = LearningRateSchedule::linear;  // over the run's epochs × steps
  std::uint64_t seed = 1;         // drives the initial weights and the shuffling
  ModelInit init = ModelInit::normal;
  Backend backend = Backend::ref;
  InputType input_type = InputType::f32;  // u8: X as the data sets' pixels (both must have them)
  double progress_interval = 1.0;         // seconds between progress reports within an epoch, ≥ 0
};

/// Throws InputError naming the first bad option.
void validate(const TrainerOptions& options);

/// Reported within an epoch at most every options.progress_interval (each
/// report reads the step losses back from the backend), and once at its end.
struct BatchProgress {
  int epoch = 0;              // 1-based
  std::size_t batch = 0;      // batches done, of `batches` (== batches at the epoch's end)
  std::size_t batches = 0;
  double loss = 0.0;          // the mean loss per example over the batches done
};

struct EpochResult {
  int epoch = 0;                    // 1-based
  double train_loss = 0.0;          // mean of the steps' L weighted by batch size: the epoch's mean loss per example
  double test_loss = 0.0;           // after the epoch, mean over the test set (evaluate.hpp)
  double test_accuracy = 0.0;       // after the epoch, in [0, 1], argmax of z (double on ref, float on emu, cuda)
  double seconds = 0.0;             // wall time of the epoch's steps, updates included (not the test)
  double samples_per_second = 0.0;  // training examples / seconds
  std::uint64_t host_copies = 0;    // copies between host and backend memory during the epoch, test included
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
/// Throws InputError for bad options, empty data, train and test of
/// different shapes, u8 inputs without pixels, more than 2^31 − 1 training
/// examples (and, from train_step, d or k too large for emu or cuda);
/// BackendError when the backend cannot run.
TrainingResult train(const TrainerOptions& options, const Dataset& train, const Dataset& test,
                     const TrainingCallbacks& callbacks = {});

}  // namespace lossbench
