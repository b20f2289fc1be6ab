// The ref backend of train_step() and evaluate(): the double-precision
// reference on host pointers, each output rounded once to float. The batch is
// first gathered (row indices) and converted (u8 pixels) into float rows, the
// values the kernels compute with; the SGD update is the kernels' fma.
#include <cmath>
#include <cstddef>
#include <vector>

#include "backends/ref/ref_backend.hpp"
#include "kernels/train/train_inputs.cuh"
#include "lossbench/reference/train_step_reference.hpp"
#include "train/train_call_checks.hpp"

namespace lossbench::detail {
namespace {

// Row `source` of X as floats.
void load_row(const void* inputs, InputType type, std::int64_t source, int d, float* row) {
  const auto first = static_cast<std::size_t>(source) * static_cast<std::size_t>(d);
  if (type == InputType::u8) {
    const auto* pixels = static_cast<const std::uint8_t*>(inputs) + first;
    for (int c = 0; c < d; ++c) row[c] = kernels::input_value(pixels[c]);
  } else {
    const auto* values = static_cast<const float*>(inputs) + first;
    for (int c = 0; c < d; ++c) row[c] = values[c];
  }
}

}  // namespace

void train_step_ref(const TrainStepCall& call, void*, void*) {
  const auto n = static_cast<std::size_t>(call.n);
  const auto d = static_cast<std::size_t>(call.d);
  const auto k = static_cast<std::size_t>(call.k);
  const std::uint32_t step = call.step == nullptr ? 0 : *call.step;
  const std::int32_t* indices =
      call.row_indices == nullptr ? nullptr : call.row_indices + static_cast<std::int64_t>(step) * call.step_rows;
  std::vector<float> inputs(n * d);
  std::vector<float> targets(n * k);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t source = indices == nullptr ? static_cast<std::int64_t>(i) : indices[i];
    load_row(call.inputs, call.input_type, source, call.d, inputs.data() + i * d);
    for (std::size_t j = 0; j < k; ++j) targets[i * k + j] = call.targets[static_cast<std::size_t>(source) * k + j];
  }
  const float eta = detail::step_learning_rate(call);
  const reference::TrainStepResult r = reference::train_step(call.loss, inputs.data(), targets.data(), call.weights,
                                                             call.bias, call.n, call.d, call.k);
  for (std::size_t i = 0; i < r.grad_weights.size(); ++i) {
    const auto g = static_cast<float>(r.grad_weights[i]);
    if (call.grad_weights != nullptr) call.grad_weights[i] = g;
    if (eta > 0.0f) call.weights[i] = std::fma(-eta, g, call.weights[i]);
  }
  for (std::size_t j = 0; j < r.grad_bias.size(); ++j) {
    const auto g = static_cast<float>(r.grad_bias[j]);
    if (call.grad_bias != nullptr) call.grad_bias[j] = g;
    if (eta > 0.0f) call.bias[j] = std::fma(-eta, g, call.bias[j]);
  }
  call.loss_value[step] = r.loss;
  if (call.step != nullptr) *call.step = step + 1;
}

void evaluate_ref(const EvaluateCall& call, void*, void*) {
  const auto d = static_cast<std::size_t>(call.d);
  const auto k = static_cast<std::size_t>(call.k);
  std::vector<float> row(d);
  std::vector<double> z(k);
  std::vector<double> dz(k);
  double loss = 0.0;
  double correct = 0.0;
  for (std::int64_t i = 0; i < call.n; ++i) {
    load_row(call.inputs, call.input_type, i, call.d, row.data());
    reference::logits_of_row(row.data(), call.weights, call.bias, call.d, call.k, z.data());
    const float* y = call.targets + static_cast<std::size_t>(i) * k;
    loss += reference::row_loss_and_grad(call.loss, z.data(), y, call.k, dz.data());
    std::size_t predicted = 0;
    std::size_t label = 0;
    for (std::size_t j = 0; j < k; ++j) {
      if (z[j] > z[predicted]) predicted = j;
      if (y[j] > y[label]) label = j;
    }
    correct += predicted == label ? 1.0 : 0.0;
  }
  *call.loss_value = loss * reduction_multiplier(Reduction::mean, call.n);
  *call.correct = correct;
}

}  // namespace lossbench::detail
