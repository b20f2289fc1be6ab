#include "lossbench/verify/verify_train_step.hpp"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/reference/train_step_reference.hpp"
#include "lossbench/verify/guarded_array.hpp"
#include "verify/train_step_verify_inputs.hpp"
#include "verify/verify_trainer_step.hpp"

namespace lossbench {
namespace {

constexpr float kSaturatedWeightScale = 30.0f;

struct RunOutputs {
  GuardedContents grad_weights;
  GuardedContents grad_bias;
  GuardedContents loss;
};

// What the bound of an element of dW or db is made of: the magnitudes of the
// terms of its sum, of what the logits' errors move and of dz's evaluation
// error (train_step_bounds.hpp).
std::string describe_sums(const std::string& where, const TrainStepGradScales& scales) {
  std::ostringstream s;
  s.precision(6);
  s << where << "; sum of |terms| " << scales.terms << ", logit sensitivity " << scales.logits
    << ", dz evaluation error " << scales.eval;
  return s.str();
}

float load_float(const std::vector<unsigned char>& bytes, std::size_t i) {
  float value;
  std::memcpy(&value, bytes.data() + i * sizeof(float), sizeof value);
  return value;
}

void require_valid(const TrainStepVerifyCase& config) {
  if (config.n < 1 || config.d < 1 || config.k < 1 || config.x_offset < 0) {
    throw InputError("verify_train_step_case: " + config.name() + " needs n, d and k >= 1 and x_offset >= 0");
  }
}

}  // namespace

std::string TrainStepVerifyCase::name() const {
  std::ostringstream s;
  s << "train/" << to_string(loss) << "/n=" << n << "/d=" << d << "/k=" << k << "/off=" << x_offset;
  if (saturated) s << "/saturated";
  if (trainer) s << "/trainer";
  return s.str();
}

TrainStepVerifyResult verify_train_step_case(const TrainStepVerifyCase& config, Backend backend) {
  require_valid(config);
  if (config.trainer) return detail::verify_trainer_step_case(config, backend);
  BackendBuffer workspace(backend, train_step_workspace_size(config.n, config.d, config.k, backend));
  workspace.fill_bytes(kPoisonByte);  // garbage: the step needs no zeroed workspace
  const TrainStepRunner run = [&](const TrainStepCall& call) {
    train_step(call, backend, workspace.data(), workspace.size());
  };
  return verify_train_step_case(config, backend, run, train_step_sum_lengths(backend, config.n, config.d));
}

TrainStepVerifyResult verify_train_step_case(const TrainStepVerifyCase& config, Backend backend,
                                             const TrainStepRunner& run, TrainStepSumLengths lengths) {
  require_valid(config);
  if (config.trainer) {
    throw InputError("verify_train_step_case: " + config.name() + " is the trainer's call, which only train_step() makes");
  }
  TrainStepVerifyResult result;
  result.config = config;
  const std::int64_t n = config.n;
  const std::int64_t d = config.d;
  const std::int64_t k = config.k;
  const detail::TrainStepVerifyInputs in = detail::make_train_step_verify_inputs(
      n, config.d, config.k, config.seed, config.saturated ? kSaturatedWeightScale : 1.0f);

  GuardedArray inputs(backend, sizeof(float), n * d, config.x_offset);
  GuardedArray targets(backend, sizeof(float), n * k);
  GuardedArray weights(backend, sizeof(float), d * k);
  GuardedArray bias(backend, sizeof(float), k);
  GuardedArray grad_weights(backend, sizeof(float), d * k);
  GuardedArray grad_bias(backend, sizeof(float), k);
  GuardedArray loss(backend, sizeof(double), 1);
  // NaN around the inputs too: a read past one would make the results NaN.
  for (GuardedArray* array : {&inputs, &targets, &weights, &bias}) array->poison();
  inputs.upload(in.inputs.data(), in.inputs.size() * sizeof(float));
  targets.upload(in.targets.data(), in.targets.size() * sizeof(float));
  weights.upload(in.weights.data(), in.weights.size() * sizeof(float));
  bias.upload(in.bias.data(), in.bias.size() * sizeof(float));

  TrainStepCall call;
  call.loss = config.loss;
  call.inputs = inputs.as<const float>();
  call.targets = targets.as<const float>();
  call.weights = weights.as<float>();
  call.bias = bias.as<float>();
  call.n = n;
  call.d = config.d;
  call.k = config.k;
  call.grad_weights = grad_weights.as<float>();
  call.grad_bias = grad_bias.as<float>();
  call.loss_value = loss.as<double>();

  const auto run_once = [&]() {
    grad_weights.poison();
    grad_bias.poison();
    loss.poison();
    run(call);
    return RunOutputs{grad_weights.download(), grad_bias.download(), loss.download()};
  };
  const RunOutputs first = run_once();
  const RunOutputs second = run_once();

  const reference::TrainStepResult ref =
      reference::train_step(config.loss, in.inputs.data(), in.targets.data(), in.weights.data(), in.bias.data(), n,
                            config.d, config.k);
  MismatchLog& log = result.log;
  log.check_guards("dW", first.grad_weights.guards_intact);
  log.check_guards("db", first.grad_bias.guards_intact);
  log.check_guards("L", first.loss.guards_intact);
  for (std::size_t e = 0; e < ref.grad_weights.size(); ++e) {
    const TrainStepGradScales& scales = ref.grad_weights_scales[e];
    const double bound = train_step_grad_bound(scales, ref.grad_weights[e], lengths);
    const double error = log.check("dW", static_cast<std::int64_t>(e), load_float(first.grad_weights.payload, e),
                                   ref.grad_weights[e], bound, [&] {
                                     return describe_sums("input c = " + std::to_string(e / k) + ", output j = " +
                                                              std::to_string(e % k),
                                                          scales);
                                   });
    result.grad_weights_error = std::max(result.grad_weights_error, error);
  }
  for (std::size_t j = 0; j < ref.grad_bias.size(); ++j) {
    const TrainStepGradScales& scales = ref.grad_bias_scales[j];
    const double bound = train_step_grad_bound(scales, ref.grad_bias[j], lengths);
    const double error = log.check("db", static_cast<std::int64_t>(j), load_float(first.grad_bias.payload, j),
                                   ref.grad_bias[j], bound,
                                   [&] { return describe_sums("output j = " + std::to_string(j), scales); });
    result.grad_bias_error = std::max(result.grad_bias_error, error);
  }
  double got_loss;
  std::memcpy(&got_loss, first.loss.payload.data(), sizeof got_loss);
  result.loss_error =
      log.check("L", 0, got_loss, ref.loss, train_step_loss_bound(ref.loss, ref.loss_scales, lengths), [&] {
        return config.loss == Loss::softmax_ce
                   ? "the mean over " + std::to_string(n) + " rows of the softmax-ce of " + std::to_string(k) + " outputs"
                   : "the mean over " + std::to_string(n) + " rows of the loss summed over " + std::to_string(k) +
                         " outputs";
      });
  log.check_same_bits("dW", first.grad_weights.payload, second.grad_weights.payload);
  log.check_same_bits("db", first.grad_bias.payload, second.grad_bias.payload);
  log.check_same_bits("L", first.loss.payload, second.loss.payload);
  result.all_written = log.unwritten_elements() == 0 && log.guards_intact();
  result.deterministic = log.same_bits();
  result.output_bits = first.grad_weights.payload;
  result.output_bits.insert(result.output_bits.end(), first.grad_bias.payload.begin(), first.grad_bias.payload.end());
  result.output_bits.insert(result.output_bits.end(), first.loss.payload.begin(), first.loss.payload.end());
  return result;
}

}  // namespace lossbench
