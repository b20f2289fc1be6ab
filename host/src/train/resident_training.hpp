#pragma once
// What train() keeps in a backend's memory, and the epoch's steps it replays
// there: the machinery of trainer.hpp's device-resident training. Internal.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "backends/backend_table.hpp"
#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/data/dataset.hpp"
#include "lossbench/train/evaluate.hpp"
#include "lossbench/train/sigmoid_model.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench::detail {

/// X (as f32 or as the pixels) and Y of a data set, uploaded once.
struct ResidentDataset {
  ResidentDataset(Backend backend, const Dataset& data, InputType type);
  BackendBuffer inputs;
  BackendBuffer targets;
  std::int64_t rows;
  InputType type;
};

/// A stream of the backend's and the launch sequences recorded on it; on a
/// backend without sequences (ref) nothing, and calls run directly.
class LaunchRecorder {
 public:
  explicit LaunchRecorder(const BackendEntry& entry);
  ~LaunchRecorder();
  LaunchRecorder(const LaunchRecorder&) = delete;
  LaunchRecorder& operator=(const LaunchRecorder&) = delete;

  bool records() const { return sequences_.create_stream != nullptr; }
  void* stream() const { return stream_; }
  /// Records what `launches` launches on stream() as one sequence; returns its index.
  std::size_t record(const std::function<void()>& launches);
  void replay(std::size_t sequence) const;
  void synchronize() const;

 private:
  LaunchSequences sequences_;
  void* stream_ = nullptr;
  std::vector<void*> recorded_;
};

/// Minibatch SGD on a resident training set: the model's W and b, the
/// epoch's plan (the step cursor, η per step and the shuffled order), the
/// step losses followed by the test evaluation, and the recorded steps.
class ResidentSgd {
 public:
  struct Setup {
    Loss loss;
    std::size_t batch;  // ≤ the training set's rows
  };
  ResidentSgd(Backend backend, const ResidentDataset& train, const ResidentDataset& test, const SigmoidModel& model,
              const Setup& setup);

  std::size_t steps() const { return full_steps_ + (tail_rows_ > 0 ? 1 : 0); }
  /// Rows of step s.
  std::size_t rows_of_step(std::size_t s) const { return s < full_steps_ ? setup_.batch : tail_rows_; }

  /// Uploads the epoch's order of the training rows and its steps' η, each
  /// finite and > 0 (and a reset cursor): one copy.
  void begin_epoch(const std::vector<std::int32_t>& order, const std::vector<float>& learning_rates);
  /// Enqueues the epoch's steps, calling `after(steps_done)` after each
  /// replay (or step, on ref); returns when they are enqueued.
  void run_steps(const std::function<void(std::size_t)>& after);
  /// Waits for the steps enqueued so far.
  void synchronize() const { recorder_.synchronize(); }
  /// Reads back the first `count` step losses (waits for them).
  std::vector<double> step_losses(std::size_t count) const;
  /// Evaluates on the test set and reads back the step losses and its result: the epoch's one download.
  struct EpochNumbers {
    std::vector<double> step_losses;
    double test_loss;
    double test_correct;
  };
  EpochNumbers evaluate_and_read();
  /// W and b as they are now.
  SigmoidModel model() const;

 private:
  TrainStepCall step_call(std::size_t rows) const;

  const BackendEntry& entry_;
  Setup setup_;
  const ResidentDataset& train_;
  const ResidentDataset& test_;
  int d_;
  int k_;
  std::size_t full_steps_;
  std::size_t tail_rows_;
  BackendBuffer weights_;
  BackendBuffer bias_;
  std::size_t order_offset_;  // in plan_
  BackendBuffer plan_;     // the cursor (padded to 16 bytes), η per step (likewise), then the epoch's order
  BackendBuffer results_;  // steps() losses, then the test loss and count
  BackendBuffer step_workspace_;
  BackendBuffer evaluate_workspace_;
  LaunchRecorder recorder_;
  // The recorded sequences and how many steps each takes (emu, cuda).
  struct Replay {
    std::size_t sequence;
    std::size_t steps;
  };
  std::vector<Replay> epoch_;
};

}  // namespace lossbench::detail
