#include "train/trajectory_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <vector>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/reference/train_step_reference.hpp"
#include "lossbench/train/train_step_bounds.hpp"

namespace lossbench::testing {
namespace {

// The cursor, then η per step, then the order, each padded to 16 bytes, as the trainer lays them out.
constexpr std::size_t kRatesOffset = 16;

struct Failure {
  TrajectoryCheck& check;
  int step;
  bool step_failed = false;
  void compare(const char* what, std::size_t index, double got, double expected, double bound) {
    const double error = std::fabs(got - expected) / bound;
    const bool bad = !(error <= 1.0);  // NaN fails
    check.worst = std::max(check.worst, std::isnan(error) ? INFINITY : error);
    if (bad && !step_failed) {
      step_failed = true;
      ++check.failed_steps;
      if (check.first_failure.empty()) {
        char line[256];
        std::snprintf(line, sizeof line, "step %d: %s[%zu] = %.9g, expected %.9g, bound %.3g", step, what, index, got,
                      expected, bound);
        check.first_failure = line;
      }
    }
  }
};

double ulp(float x) { return std::nextafter(std::fabs(x), INFINITY) - std::fabs(x); }

}  // namespace

Dataset random_pixel_dataset(std::size_t count, int d, int k, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::vector<std::uint8_t> pixels(count * static_cast<std::size_t>(d));
  for (std::uint8_t& p : pixels) {
    const std::uint64_t r = engine();
    p = (r & 1) == 0 ? 0 : static_cast<std::uint8_t>(r >> 8);
  }
  std::vector<std::uint8_t> labels(count);
  for (std::uint8_t& l : labels) l = static_cast<std::uint8_t>(engine() % static_cast<std::uint64_t>(k));
  return make_pixel_dataset(std::move(pixels), std::move(labels), d, k);
}

TrajectoryCheck check_trajectory(Backend backend, const Dataset& data, const TrajectorySpec& spec) {
  const int d = data.d;
  const int k = data.k;
  const std::size_t count = data.count();
  const std::size_t dk = static_cast<std::size_t>(d) * static_cast<std::size_t>(k);
  const std::size_t steps_per_epoch = (count + spec.batch - 1) / spec.batch;
  const bool u8 = spec.input_type == InputType::u8;
  const bool table = spec.schedule != LearningRateSchedule::constant;
  const std::size_t order_offset = kRatesOffset + (steps_per_epoch * sizeof(float) + 15) / 16 * 16;

  const std::size_t element = u8 ? 1 : sizeof(float);
  const std::size_t offset = spec.input_offset * element;
  BackendBuffer inputs(backend, offset + count * static_cast<std::size_t>(d) * element);
  inputs.upload(u8 ? static_cast<const void*>(data.pixels.data()) : data.inputs.data(), inputs.size() - offset, offset);
  BackendBuffer targets(backend, data.targets.size() * sizeof(float));
  targets.upload(data.targets.data(), targets.size());
  std::vector<float> weights(dk, 0.0f);
  std::vector<float> bias(static_cast<std::size_t>(k), 0.0f);
  std::mt19937_64 engine(spec.seed);
  std::normal_distribution<float> normal(0.0f, 0.01f);
  for (float& w : weights) w = normal(engine);
  BackendBuffer device_weights(backend, dk * sizeof(float));
  BackendBuffer device_bias(backend, bias.size() * sizeof(float));
  device_weights.upload(weights.data(), device_weights.size());
  device_bias.upload(bias.data(), device_bias.size());
  BackendBuffer plan(backend, order_offset + count * sizeof(std::int32_t));
  BackendBuffer losses(backend, steps_per_epoch * sizeof(double));
  BackendBuffer workspace(
      backend, train_step_workspace_size(static_cast<std::int64_t>(std::min(spec.batch, count)), d, k, backend));

  TrainStepCall call;
  call.loss = spec.loss;
  call.inputs = static_cast<const char*>(inputs.data()) + offset;
  call.input_type = spec.input_type;
  call.targets = static_cast<const float*>(targets.data());
  call.weights = static_cast<float*>(device_weights.data());
  call.bias = static_cast<float*>(device_bias.data());
  call.d = d;
  call.k = k;
  call.loss_value = static_cast<double*>(losses.data());
  call.row_indices = reinterpret_cast<const std::int32_t*>(static_cast<char*>(plan.data()) + order_offset);
  call.input_rows = static_cast<std::int64_t>(count);
  if (table) {
    call.learning_rates = reinterpret_cast<const float*>(static_cast<char*>(plan.data()) + kRatesOffset);
  } else {
    call.learning_rate = spec.learning_rate;
  }
  call.step = static_cast<std::uint32_t*>(plan.data());
  call.step_rows = static_cast<std::int64_t>(spec.batch);

  TrajectoryCheck check;
  std::vector<std::int32_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::vector<float> batch_inputs;
  std::vector<float> batch_targets;
  for (int epoch = 0; epoch < spec.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), engine);
    std::vector<float> rates(steps_per_epoch);
    for (std::size_t s = 0; s < steps_per_epoch; ++s) {
      rates[s] = static_cast<float>(scheduled_learning_rate(spec.schedule, spec.learning_rate,
                                                            epoch * steps_per_epoch + s, spec.epochs * steps_per_epoch));
    }
    std::vector<char> host_plan(plan.size(), 0);
    std::memcpy(host_plan.data() + kRatesOffset, rates.data(), rates.size() * sizeof(float));
    std::memcpy(host_plan.data() + order_offset, order.data(), count * sizeof(std::int32_t));
    plan.upload(host_plan.data(), host_plan.size());
    for (std::size_t s = 0; s < steps_per_epoch; ++s) {
      const std::size_t first = s * spec.batch;
      const std::size_t rows = std::min(spec.batch, count - first);
      call.n = static_cast<std::int64_t>(rows);
      batch_inputs.resize(rows * static_cast<std::size_t>(d));
      batch_targets.resize(rows * static_cast<std::size_t>(k));
      for (std::size_t r = 0; r < rows; ++r) {
        const auto source = static_cast<std::size_t>(order[first + r]);
        std::copy_n(data.inputs.begin() + static_cast<std::ptrdiff_t>(source * d), d,
                    batch_inputs.begin() + static_cast<std::ptrdiff_t>(r * d));
        std::copy_n(data.targets.begin() + static_cast<std::ptrdiff_t>(source * k), k,
                    batch_targets.begin() + static_cast<std::ptrdiff_t>(r * k));
      }
      const reference::TrainStepResult ref = reference::train_step(
          spec.loss, batch_inputs.data(), batch_targets.data(), weights.data(), bias.data(), call.n, d, k);

      train_step(call, backend, workspace.data(), workspace.size());
      std::vector<float> new_weights(dk);
      std::vector<float> new_bias(bias.size());
      device_weights.download(new_weights.data(), dk * sizeof(float));
      device_bias.download(new_bias.data(), new_bias.size() * sizeof(float));
      double loss = 0.0;
      losses.download(&loss, sizeof loss, s * sizeof(double));
      std::uint32_t cursor = 0;
      plan.download(&cursor, sizeof cursor);

      Failure f{check, check.steps};
      const TrainStepSumLengths lengths = train_step_sum_lengths(backend, call.n, d);
      const float eta = table ? rates[s] : spec.learning_rate;
      for (std::size_t e = 0; e < dk; ++e) {
        const float expected = std::fma(-eta, static_cast<float>(ref.grad_weights[e]), weights[e]);
        const double bound =
            eta * train_step_grad_bound(ref.grad_weights_scales[e], ref.grad_weights[e], lengths) + ulp(expected);
        f.compare("W", e, new_weights[e], expected, bound);
      }
      for (std::size_t j = 0; j < bias.size(); ++j) {
        const float expected = std::fma(-eta, static_cast<float>(ref.grad_bias[j]), bias[j]);
        const double bound =
            eta * train_step_grad_bound(ref.grad_bias_scales[j], ref.grad_bias[j], lengths) + ulp(expected);
        f.compare("b", j, new_bias[j], expected, bound);
      }
      f.compare("L", 0, loss, ref.loss, train_step_loss_bound(ref.loss, ref.loss_scales, lengths));
      f.compare("cursor", 0, cursor, static_cast<double>(s + 1), 0.5);
      weights = std::move(new_weights);
      bias = std::move(new_bias);
      check.final_loss = loss;
      ++check.steps;
    }
  }
  return check;
}

}  // namespace lossbench::testing
