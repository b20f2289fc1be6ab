// The training step as train() calls it (trainer.hpp): X as uint8 pixels, the
// batch read through a shuffled order at step 1 of a cursor, the SGD update
// in place with η from a table at the cursor, only L among the outputs. Checked like the plain step: each
// updated parameter against fma(−η, g, w) of the reference's gradient g,
// within η times g's bound plus the update's rounding; L in its step's slot;
// the cursor advanced; outputs poisoned first, guards around every array,
// and a second run from the same start giving the same bits.
#include "verify/verify_trainer_step.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <vector>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/reference/train_step_reference.hpp"
#include "lossbench/verify/guarded_array.hpp"
#include "verify/train_step_verify_inputs.hpp"

namespace lossbench::detail {
namespace {

constexpr float kLearningRate = 0.5f;
constexpr std::uint32_t kStep = 1;  // the cursor's value: the call reads indices [n, 2n) and η from rates[1]
// η per step: step 1's is kLearningRate; step 0's would double the update, were it read.
constexpr float kRates[2] = {2.0f * kLearningRate, kLearningRate};

struct Outputs {
  GuardedContents weights;
  GuardedContents bias;
  GuardedContents losses;
  GuardedContents cursor;
};

template <class T>
T load(const std::vector<unsigned char>& bytes, std::size_t i) {
  T value;
  std::memcpy(&value, bytes.data() + i * sizeof(T), sizeof value);
  return value;
}

double ulp(float x) { return std::nextafter(std::fabs(x), INFINITY) - std::fabs(x); }

}  // namespace

TrainStepVerifyResult verify_trainer_step_case(const TrainStepVerifyCase& config, Backend backend) {
  TrainStepVerifyResult result;
  result.config = config;
  const std::int64_t n = config.n;
  const auto d = static_cast<std::size_t>(config.d);
  const auto k = static_cast<std::size_t>(config.k);
  // X has more rows than the batch, and the batch's rows are a shuffled selection of them.
  const std::int64_t rows = 2 * n + 3;
  const TrainStepVerifyInputs in =
      make_train_step_verify_inputs(rows, config.d, config.k, config.seed, config.saturated ? 30.0f : 1.0f);
  std::vector<std::uint8_t> pixels(in.inputs.size());
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(std::lround(in.inputs[i] * 255.0f));
  std::vector<std::int32_t> order(static_cast<std::size_t>(rows));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(config.seed));
  order.resize(static_cast<std::size_t>(2 * n));

  GuardedArray inputs(backend, 1, rows * config.d, config.x_offset);
  GuardedArray targets(backend, sizeof(float), rows * config.k);
  GuardedArray indices(backend, sizeof(std::int32_t), 2 * n);
  GuardedArray weights(backend, sizeof(float), static_cast<std::int64_t>(d * k));
  GuardedArray bias(backend, sizeof(float), config.k);
  GuardedArray losses(backend, sizeof(double), 2);  // slot 0 must keep its poison
  GuardedArray cursor(backend, sizeof(std::uint32_t), 1);
  GuardedArray rates(backend, sizeof(float), 2);
  for (GuardedArray* array : {&inputs, &targets, &indices, &rates}) array->poison();
  rates.upload(kRates, sizeof kRates);
  inputs.upload(pixels.data(), pixels.size());
  targets.upload(in.targets.data(), in.targets.size() * sizeof(float));
  indices.upload(order.data(), order.size() * sizeof(std::int32_t));
  BackendBuffer workspace(backend, train_step_workspace_size(n, config.d, config.k, backend));
  workspace.fill_bytes(kPoisonByte);

  TrainStepCall call;
  call.loss = config.loss;
  call.inputs = inputs.data();
  call.input_type = InputType::u8;
  call.targets = targets.as<const float>();
  call.weights = weights.as<float>();
  call.bias = bias.as<float>();
  call.n = n;
  call.d = config.d;
  call.k = config.k;
  call.loss_value = losses.as<double>();
  call.row_indices = indices.as<const std::int32_t>();
  call.input_rows = rows;
  call.learning_rates = rates.as<const float>();
  call.step = cursor.as<std::uint32_t>();
  call.step_rows = n;

  const auto run_once = [&] {
    for (GuardedArray* array : {&weights, &bias, &losses, &cursor}) array->poison();
    weights.upload(in.weights.data(), in.weights.size() * sizeof(float));
    bias.upload(in.bias.data(), in.bias.size() * sizeof(float));
    cursor.upload(&kStep, sizeof kStep);
    train_step(call, backend, workspace.data(), workspace.size());
    return Outputs{weights.download(), bias.download(), losses.download(), cursor.download()};
  };
  const Outputs first = run_once();
  const Outputs second = run_once();

  // The reference from the rows the call reads, as the kernels see them (v / 255).
  std::vector<float> batch_inputs(static_cast<std::size_t>(n) * d);
  std::vector<float> batch_targets(static_cast<std::size_t>(n) * k);
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
    const auto source = static_cast<std::size_t>(order[static_cast<std::size_t>(n) + i]);
    for (std::size_t c = 0; c < d; ++c) batch_inputs[i * d + c] = static_cast<float>(pixels[source * d + c]) / 255.0f;
    std::copy_n(in.targets.begin() + static_cast<std::ptrdiff_t>(source * k), k,
                batch_targets.begin() + static_cast<std::ptrdiff_t>(i * k));
  }
  const reference::TrainStepResult ref = reference::train_step(
      config.loss, batch_inputs.data(), batch_targets.data(), in.weights.data(), in.bias.data(), n, config.d, config.k);
  const TrainStepSumLengths lengths = train_step_sum_lengths(backend, n, config.d);

  MismatchLog& log = result.log;
  log.check_guards("W", first.weights.guards_intact);
  log.check_guards("b", first.bias.guards_intact);
  log.check_guards("L", first.losses.guards_intact);
  log.check_guards("step", first.cursor.guards_intact);
  // W ← fma(−η, g, W): off by η·|Δg| and the fma's rounding.
  const auto check_update = [&](const char* name, const GuardedContents& got, const std::vector<float>& start,
                                const std::vector<double>& grad, const std::vector<TrainStepGradScales>& scales) {
    double worst = 0.0;
    for (std::size_t e = 0; e < start.size(); ++e) {
      const float expected = std::fma(-kLearningRate, static_cast<float>(grad[e]), start[e]);
      const double bound = kLearningRate * train_step_grad_bound(scales[e], grad[e], lengths) + ulp(expected);
      worst = std::max(worst, log.check(name, static_cast<std::int64_t>(e), load<float>(got.payload, e), expected,
                                        bound));
    }
    return worst;
  };
  result.grad_weights_error =
      check_update("W", first.weights, in.weights, ref.grad_weights, ref.grad_weights_scales);
  result.grad_bias_error = check_update("b", first.bias, in.bias, ref.grad_bias, ref.grad_bias_scales);
  result.loss_error = log.check("L", kStep, load<double>(first.losses.payload, kStep), ref.loss,
                                train_step_loss_bound(ref.loss, ref.loss_scales, lengths));
  if (!std::isnan(load<double>(first.losses.payload, 0))) log.fail("L's slot 0 was written; the cursor said slot 1");
  const std::uint32_t advanced = load<std::uint32_t>(first.cursor.payload, 0);
  if (advanced != kStep + 1) {
    log.fail("the step cursor holds " + std::to_string(advanced) + " after the step, not " + std::to_string(kStep + 1));
  }
  log.check_same_bits("W", first.weights.payload, second.weights.payload);
  log.check_same_bits("b", first.bias.payload, second.bias.payload);
  log.check_same_bits("L", first.losses.payload, second.losses.payload);
  result.all_written = log.unwritten_elements() == 0 && log.guards_intact();
  result.deterministic = log.same_bits();
  result.output_bits = first.weights.payload;
  result.output_bits.insert(result.output_bits.end(), first.bias.payload.begin(), first.bias.payload.end());
  result.output_bits.insert(result.output_bits.end(), first.losses.payload.begin(), first.losses.payload.end());
  return result;
}

}  // namespace lossbench::detail
