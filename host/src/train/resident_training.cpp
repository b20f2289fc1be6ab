#include "train/resident_training.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench::detail {
namespace {

// Steps recorded in one sequence: enough that a replay's launch overhead is
// spread over many steps, few enough that progress can be seen between
// replays and that recording costs little.
constexpr std::size_t kStepsPerSequence = 16;

// The plan buffer: the step cursor, then the steps' η, each padded to 16
// bytes so that the order after them is 16-byte aligned.
constexpr std::size_t kRatesOffset = 16;
std::size_t order_offset(std::size_t steps) { return kRatesOffset + (steps * sizeof(float) + 15) / 16 * 16; }

const void* host_inputs(const Dataset& data, InputType type) {
  if (type == InputType::f32) return data.inputs.data();
  if (data.pixels.size() != data.inputs.size()) {
    throw InputError("u8 inputs need a data set read from pixels (Fashion-MNIST); this one has none: use f32");
  }
  return data.pixels.data();
}

}  // namespace

ResidentDataset::ResidentDataset(Backend backend, const Dataset& data, InputType input_type)
    : inputs(backend, data.inputs.size() * input_type_size(input_type)),
      targets(backend, data.targets.size() * sizeof(float)),
      rows(static_cast<std::int64_t>(data.count())),
      type(input_type) {
  inputs.upload(host_inputs(data, input_type), inputs.size());
  targets.upload(data.targets.data(), targets.size());
}

LaunchRecorder::LaunchRecorder(const BackendEntry& entry) : sequences_(entry.sequences) {
  if (records()) stream_ = sequences_.create_stream();
}

LaunchRecorder::~LaunchRecorder() {
  for (void* sequence : recorded_) sequences_.destroy(sequence);
  if (stream_ != nullptr) sequences_.destroy_stream(stream_);
}

std::size_t LaunchRecorder::record(const std::function<void()>& launches) {
  sequences_.begin_capture(stream_);
  try {
    launches();
  } catch (...) {
    try {
      sequences_.destroy(sequences_.end_capture(stream_));
    } catch (...) {
      // the capture is broken already; the first error is the one to report
    }
    throw;
  }
  recorded_.push_back(sequences_.end_capture(stream_));
  return recorded_.size() - 1;
}

void LaunchRecorder::replay(std::size_t sequence) const { sequences_.replay(recorded_.at(sequence), stream_); }

void LaunchRecorder::synchronize() const {
  if (records()) sequences_.synchronize(stream_);
}

ResidentSgd::ResidentSgd(Backend backend, const ResidentDataset& train, const ResidentDataset& test,
                         const SigmoidModel& model, const Setup& setup)
    : entry_(available_backend(backend)),
      setup_(setup),
      train_(train),
      test_(test),
      d_(model.d),
      k_(model.k),
      full_steps_(static_cast<std::size_t>(train.rows) / setup.batch),
      tail_rows_(static_cast<std::size_t>(train.rows) % setup.batch),
      weights_(backend, model.weights.size() * sizeof(float)),
      bias_(backend, model.bias.size() * sizeof(float)),
      order_offset_(order_offset(steps())),
      plan_(backend, order_offset_ + static_cast<std::size_t>(train.rows) * sizeof(std::int32_t)),
      results_(backend, (steps() + 2) * sizeof(double)),
      recorder_(entry_) {
  weights_.upload(model.weights.data(), weights_.size());
  bias_.upload(model.bias.data(), bias_.size());
  std::size_t workspace = train_step_workspace_size(static_cast<std::int64_t>(setup.batch), d_, k_, backend);
  if (tail_rows_ > 0) {
    workspace = std::max(workspace, train_step_workspace_size(static_cast<std::int64_t>(tail_rows_), d_, k_, backend));
  }
  step_workspace_ = BackendBuffer(backend, workspace);
  evaluate_workspace_ = BackendBuffer(backend, evaluate_workspace_size(test.rows, d_, k_, backend));
}

TrainStepCall ResidentSgd::step_call(std::size_t rows) const {
  TrainStepCall c;
  c.loss = setup_.loss;
  c.inputs = train_.inputs.data();
  c.input_type = train_.type;
  c.targets = static_cast<const float*>(train_.targets.data());
  c.weights = static_cast<float*>(weights_.data());
  c.bias = static_cast<float*>(bias_.data());
  c.n = static_cast<std::int64_t>(rows);
  c.d = d_;
  c.k = k_;
  c.loss_value = static_cast<double*>(results_.data());
  const char* plan = static_cast<const char*>(plan_.data());
  c.row_indices = reinterpret_cast<const std::int32_t*>(plan + order_offset_);
  c.input_rows = train_.rows;
  c.learning_rates = reinterpret_cast<const float*>(plan + kRatesOffset);
  c.step = static_cast<std::uint32_t*>(plan_.data());
  c.step_rows = static_cast<std::int64_t>(setup_.batch);
  return c;
}

void ResidentSgd::begin_epoch(const std::vector<std::int32_t>& order, const std::vector<float>& learning_rates) {
  if (order.size() != static_cast<std::size_t>(train_.rows)) {
    throw InputError("an epoch's order has " + std::to_string(order.size()) + " rows, the training set " +
                     std::to_string(train_.rows));
  }
  if (learning_rates.size() != steps()) {
    throw InputError("an epoch's learning rates number " + std::to_string(learning_rates.size()) + ", its steps " +
                     std::to_string(steps()));
  }
  for (std::size_t s = 0; s < steps(); ++s) {
    if (!(std::isfinite(learning_rates[s]) && learning_rates[s] > 0.0f)) {
      throw InputError("the learning rate of step " + std::to_string(s) + " must be finite and > 0, got " +
                       std::to_string(learning_rates[s]));
    }
  }
  std::vector<char> plan(plan_.size(), 0);  // cursor 0
  std::memcpy(plan.data() + kRatesOffset, learning_rates.data(), learning_rates.size() * sizeof(float));
  std::memcpy(plan.data() + order_offset_, order.data(), order.size() * sizeof(std::int32_t));
  plan_.upload(plan.data(), plan.size());
}

void ResidentSgd::run_steps(const std::function<void(std::size_t)>& after) {
  const TrainStepCall full = step_call(setup_.batch);
  const TrainStepCall tail = step_call(tail_rows_);
  void* workspace = step_workspace_.data();
  const std::size_t bytes = step_workspace_.size();
  const Backend backend = entry_.backend;
  if (!recorder_.records()) {
    for (std::size_t s = 0; s < steps(); ++s) {
      train_step(s < full_steps_ ? full : tail, backend, workspace, bytes);
      after(s + 1);
    }
    return;
  }
  if (epoch_.empty()) {  // record once, with the first epoch's order in place (indices are checked on emu)
    void* stream = recorder_.stream();
    const std::size_t group = std::min(full_steps_, kStepsPerSequence);
    if (group > 0) {
      const std::size_t sequence = recorder_.record([&] {
        for (std::size_t s = 0; s < group; ++s) train_step(full, backend, workspace, bytes, stream);
      });
      epoch_.insert(epoch_.end(), full_steps_ / group, Replay{sequence, group});
      if (full_steps_ % group != 0) {
        const std::size_t single = recorder_.record([&] { train_step(full, backend, workspace, bytes, stream); });
        epoch_.insert(epoch_.end(), full_steps_ % group, Replay{single, 1});
      }
    }
    if (tail_rows_ > 0) {
      const std::size_t last = recorder_.record([&] { train_step(tail, backend, workspace, bytes, stream); });
      epoch_.push_back(Replay{last, 1});
    }
  }
  std::size_t done = 0;
  for (const Replay& r : epoch_) {
    recorder_.replay(r.sequence);
    done += r.steps;
    after(done);
  }
}

std::vector<double> ResidentSgd::step_losses(std::size_t count) const {
  recorder_.synchronize();
  std::vector<double> losses(count);
  results_.download(losses.data(), count * sizeof(double));
  return losses;
}

ResidentSgd::EpochNumbers ResidentSgd::evaluate_and_read() {
  double* results = static_cast<double*>(results_.data());
  EvaluateCall call;
  call.loss = setup_.loss;
  call.inputs = test_.inputs.data();
  call.input_type = test_.type;
  call.targets = static_cast<const float*>(test_.targets.data());
  call.weights = static_cast<const float*>(weights_.data());
  call.bias = static_cast<const float*>(bias_.data());
  call.n = test_.rows;
  call.d = d_;
  call.k = k_;
  call.loss_value = results + steps();
  call.correct = results + steps() + 1;
  evaluate(call, entry_.backend, evaluate_workspace_.data(), evaluate_workspace_.size(), recorder_.stream());
  recorder_.synchronize();
  std::vector<double> all(steps() + 2);
  results_.download(all.data(), all.size() * sizeof(double));
  EpochNumbers numbers{std::vector<double>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(steps())),
                       all[steps()], all[steps() + 1]};
  return numbers;
}

SigmoidModel ResidentSgd::model() const {
  recorder_.synchronize();
  SigmoidModel m;
  m.d = d_;
  m.k = k_;
  m.weights.resize(static_cast<std::size_t>(d_) * static_cast<std::size_t>(k_));
  m.bias.resize(static_cast<std::size_t>(k_));
  weights_.download(m.weights.data(), weights_.size());
  bias_.download(m.bias.data(), bias_.size());
  return m;
}

}  // namespace lossbench::detail
