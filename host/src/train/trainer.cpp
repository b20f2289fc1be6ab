#include "lossbench/train/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "core/seeded_random.hpp"
#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/core/error.hpp"
#include "train/resident_training.hpp"

namespace lossbench {
namespace {

void check_data(const Dataset& train, const Dataset& test) {
  if (train.count() == 0) throw InputError("the training set is empty");
  if (test.count() == 0) throw InputError("the test set is empty");
  if (train.d != test.d || train.k != test.k) {
    throw InputError("the training set has " + std::to_string(train.d) + " inputs and " + std::to_string(train.k) +
                     " classes but the test set " + std::to_string(test.d) + " and " + std::to_string(test.k));
  }
  if (train.count() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw InputError("the training set has " + std::to_string(train.count()) +
                     " examples; the trainer's row indices are 32-bit (at most 2^31 - 1)");
  }
}

std::uint64_t copies(Backend backend) {
  const TransferCounts c = transfer_counts(backend);
  return c.uploads + c.downloads;
}

// Σ L_s · rows_s over the first `count` steps: the loss summed over their examples.
double weighted_loss(const detail::ResidentSgd& sgd, const std::vector<double>& losses) {
  double sum = 0.0;
  for (std::size_t s = 0; s < losses.size(); ++s) sum += losses[s] * static_cast<double>(sgd.rows_of_step(s));
  return sum;
}

double rows_of_steps(const detail::ResidentSgd& sgd, std::size_t count) {
  double rows = 0.0;
  for (std::size_t s = 0; s < count; ++s) rows += static_cast<double>(sgd.rows_of_step(s));
  return rows;
}

}  // namespace

void validate(const TrainerOptions& options) {
  if (options.loss != Loss::mse && options.loss != Loss::bce && options.loss != Loss::softmax_ce) {
    throw InputError("unknown loss (expected mse, bce or softmax-ce)");
  }
  if (options.epochs < 0) throw InputError("epochs must be >= 0, got " + std::to_string(options.epochs));
  if (options.batch < 1) throw InputError("the batch size must be >= 1, got " + std::to_string(options.batch));
  if (!std::isfinite(options.learning_rate) || options.learning_rate <= 0) {
    throw InputError("the learning rate must be finite and > 0, got " + std::to_string(options.learning_rate));
  }
  if (!(static_cast<float>(options.learning_rate) > 0.0f)) {
    throw InputError("the learning rate " + std::to_string(options.learning_rate) + " is 0 in float32");
  }
  if (options.schedule != LearningRateSchedule::constant && options.schedule != LearningRateSchedule::linear) {
    throw InputError("unknown learning-rate schedule (expected constant or linear)");
  }
  if (options.init != ModelInit::zero && options.init != ModelInit::normal && options.init != ModelInit::saturated) {
    throw InputError("unknown initialisation (expected zero, normal or saturated)");
  }
  if (options.input_type != InputType::f32 && options.input_type != InputType::u8) {
    throw InputError("unknown input type (expected f32 or u8)");
  }
  if (!(options.progress_interval >= 0.0)) {
    throw InputError("the progress interval must be >= 0 seconds, got " + std::to_string(options.progress_interval));
  }
}

TrainingResult train(const TrainerOptions& options, const Dataset& train, const Dataset& test,
                     const TrainingCallbacks& callbacks) {
  validate(options);
  check_data(train, test);
  TrainingResult result;
  result.model = initial_model(options.init, train.d, train.k, options.seed);
  if (options.epochs == 0) return result;

  const Backend backend = options.backend;
  const detail::ResidentDataset train_data(backend, train, options.input_type);
  const detail::ResidentDataset test_data(backend, test, options.input_type);
  const std::size_t count = train.count();
  const detail::ResidentSgd::Setup setup{options.loss, std::min(static_cast<std::size_t>(options.batch), count)};
  detail::ResidentSgd sgd(backend, train_data, test_data, result.model, setup);
  const std::size_t run_steps = sgd.steps() * static_cast<std::size_t>(options.epochs);
  std::vector<float> rates(sgd.steps());

  std::vector<std::int32_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  // Shuffling draws from a stream of its own, so that the initialisation
  // (which uses options.seed directly) does not shift it.
  detail::SeededRandom shuffler(options.seed ^ 0x9e3779b97f4a7c15ULL);
  const auto interval = std::chrono::duration<double>(options.progress_interval);

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    const std::uint64_t copies_before = copies(backend);
    shuffler.shuffle(order);
    for (std::size_t s = 0; s < rates.size(); ++s) {
      const std::size_t step = static_cast<std::size_t>(epoch - 1) * sgd.steps() + s;
      rates[s] = static_cast<float>(scheduled_learning_rate(options.schedule, options.learning_rate, step, run_steps));
    }
    sgd.begin_epoch(order, rates);
    const auto start = std::chrono::steady_clock::now();
    auto last_report = start;
    sgd.run_steps([&](std::size_t done) {
      if (!callbacks.on_batch || done == sgd.steps()) return;
      const auto now = std::chrono::steady_clock::now();
      if (now - last_report < interval) return;
      const std::vector<double> losses = sgd.step_losses(done);  // waits for them
      callbacks.on_batch(BatchProgress{epoch, done, sgd.steps(), weighted_loss(sgd, losses) / rows_of_steps(sgd, done)});
      last_report = std::chrono::steady_clock::now();
    });
    sgd.synchronize();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    const detail::ResidentSgd::EpochNumbers numbers = sgd.evaluate_and_read();

    EpochResult e;
    e.epoch = epoch;
    e.train_loss = weighted_loss(sgd, numbers.step_losses) / static_cast<double>(count);
    e.test_loss = numbers.test_loss;
    e.test_accuracy = numbers.test_correct / static_cast<double>(test.count());
    e.seconds = elapsed.count();
    e.samples_per_second = static_cast<double>(count) / e.seconds;
    e.host_copies = copies(backend) - copies_before;
    if (callbacks.on_batch) callbacks.on_batch(BatchProgress{epoch, sgd.steps(), sgd.steps(), e.train_loss});
    result.epochs.push_back(e);
    if (callbacks.on_epoch) callbacks.on_epoch(e);
  }
  result.model = sgd.model();
  return result;
}

}  // namespace lossbench
