#include "lossbench/train/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <string>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/train/train_step.hpp"
#include "lossbench/train/train_step_buffers.hpp"
#include "core/seeded_random.hpp"

namespace lossbench {
namespace {

void check_data(const Dataset& train, const Dataset& test) {
  if (train.count() == 0) throw InputError("the training set is empty");
  if (test.count() == 0) throw InputError("the test set is empty");
  if (train.d != test.d || train.k != test.k) {
    throw InputError("the training set has " + std::to_string(train.d) + " inputs and " + std::to_string(train.k) +
                     " classes but the test set " + std::to_string(test.d) + " and " + std::to_string(test.k));
  }
}

// The step's inputs and outputs in the backend's memory, sized for the
// largest batch. For cuda every batch and every parameter update crosses
// PCIe: simple and correct, and a single layer's W is only d·k floats.
class StagedTrainStep {
 public:
  StagedTrainStep(Backend backend, std::size_t batch, int d, int k)
      : backend_(backend), arrays_(backend, static_cast<std::int64_t>(batch), d, k) {}

  // One fused step on rows [0, n) of the staged batch; returns L and leaves dW, db in the given host vectors.
  double step(Loss loss, const std::vector<float>& inputs, const std::vector<float>& targets, std::int64_t n,
              const SigmoidModel& model, std::vector<float>& grad_weights, std::vector<float>& grad_bias) {
    const auto rows = static_cast<std::size_t>(n);
    arrays_.inputs.upload(inputs.data(), rows * static_cast<std::size_t>(model.d) * sizeof(float));
    arrays_.targets.upload(targets.data(), rows * static_cast<std::size_t>(model.k) * sizeof(float));
    arrays_.weights.upload(model.weights.data(), model.weights.size() * sizeof(float));
    arrays_.bias.upload(model.bias.data(), model.bias.size() * sizeof(float));
    const TrainStepCall call = arrays_.call(loss, n);
    // The workspace depends on n, and an epoch's last batch may be smaller:
    // grow it when a shape needs more, never shrink it.
    const std::size_t needed = train_step_workspace_size(call.n, call.d, call.k, backend_);
    if (workspace_.size() < needed) workspace_ = BackendBuffer(backend_, needed);
    train_step(call, backend_, workspace_.data(), workspace_.size());
    double value = 0.0;
    arrays_.loss_value.download(&value, sizeof value);  // waits for the device
    arrays_.grad_weights.download(grad_weights.data(), grad_weights.size() * sizeof(float));
    arrays_.grad_bias.download(grad_bias.data(), grad_bias.size() * sizeof(float));
    return value;
  }

 private:
  Backend backend_;
  TrainStepBuffers arrays_;
  BackendBuffer workspace_;
};

}  // namespace

void validate(const TrainerOptions& options) {
  if (options.loss != Loss::mse && options.loss != Loss::bce) throw InputError("unknown loss (expected mse or bce)");
  if (options.epochs < 0) throw InputError("epochs must be >= 0, got " + std::to_string(options.epochs));
  if (options.batch < 1) throw InputError("the batch size must be >= 1, got " + std::to_string(options.batch));
  if (!std::isfinite(options.learning_rate) || options.learning_rate <= 0) {
    throw InputError("the learning rate must be finite and > 0, got " + std::to_string(options.learning_rate));
  }
  if (options.init != ModelInit::zero && options.init != ModelInit::normal && options.init != ModelInit::saturated) {
    throw InputError("unknown initialisation (expected zero, normal or saturated)");
  }
}

TrainingResult train(const TrainerOptions& options, const Dataset& train, const Dataset& test,
                     const TrainingCallbacks& callbacks) {
  validate(options);
  check_data(train, test);
  TrainingResult result;
  result.model = initial_model(options.init, train.d, train.k, options.seed);
  SigmoidModel& model = result.model;
  const std::size_t count = train.count();
  const std::size_t batch = std::min(static_cast<std::size_t>(options.batch), count);
  const std::size_t batches = (count + batch - 1) / batch;
  const auto d = static_cast<std::size_t>(train.d);
  const auto k = static_cast<std::size_t>(train.k);

  StagedTrainStep buffers(options.backend, batch, train.d, train.k);
  std::vector<float> batch_inputs(batch * d);
  std::vector<float> batch_targets(batch * k);
  std::vector<float> grad_weights(model.weights.size());
  std::vector<float> grad_bias(model.bias.size());
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Shuffling draws from a stream of its own, so that the initialisation
  // (which uses options.seed directly) does not shift it.
  detail::SeededRandom shuffler(options.seed ^ 0x9e3779b97f4a7c15ULL);
  const auto eta = static_cast<float>(options.learning_rate);

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    shuffler.shuffle(order);
    double weighted_loss = 0.0;
    for (std::size_t b = 0; b < batches; ++b) {
      const std::size_t first = b * batch;
      const std::size_t rows = std::min(batch, count - first);
      for (std::size_t r = 0; r < rows; ++r) {
        const std::size_t i = order[first + r];
        std::copy_n(train.inputs.begin() + static_cast<std::ptrdiff_t>(i * d), d,
                    batch_inputs.begin() + static_cast<std::ptrdiff_t>(r * d));
        std::copy_n(train.targets.begin() + static_cast<std::ptrdiff_t>(i * k), k,
                    batch_targets.begin() + static_cast<std::ptrdiff_t>(r * k));
      }
      const double loss = buffers.step(options.loss, batch_inputs, batch_targets, static_cast<std::int64_t>(rows),
                                       model, grad_weights, grad_bias);
      for (std::size_t p = 0; p < model.weights.size(); ++p) model.weights[p] -= eta * grad_weights[p];
      for (std::size_t j = 0; j < model.bias.size(); ++j) model.bias[j] -= eta * grad_bias[j];
      weighted_loss += loss * static_cast<double>(rows);
      if (callbacks.on_batch) callbacks.on_batch(BatchProgress{epoch, b + 1, batches, loss});
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    EpochResult e;
    e.epoch = epoch;
    e.train_loss = weighted_loss / static_cast<double>(count);
    e.test_accuracy = accuracy(model, test);
    e.seconds = elapsed.count();
    e.samples_per_second = static_cast<double>(count) / e.seconds;
    result.epochs.push_back(e);
    if (callbacks.on_epoch) callbacks.on_epoch(e);
  }
  return result;
}

}  // namespace lossbench
