#include "lossbench/train/train_step_buffers.hpp"

#include <cstddef>
#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench {
namespace {

std::size_t float_bytes(std::int64_t rows, int columns) {
  return static_cast<std::size_t>(rows) * static_cast<std::size_t>(columns) * sizeof(float);
}

}  // namespace

TrainStepBuffers::TrainStepBuffers(Backend backend, std::int64_t row_capacity, int inputs_per_row,
                                   int outputs_per_row)
    : rows(row_capacity),
      d(inputs_per_row),
      k(outputs_per_row),
      inputs(backend, float_bytes(rows, d)),
      targets(backend, float_bytes(rows, k)),
      weights(backend, float_bytes(d, k)),
      bias(backend, float_bytes(1, k)),
      grad_weights(backend, float_bytes(d, k)),
      grad_bias(backend, float_bytes(1, k)),
      loss_value(backend, sizeof(double)) {}

TrainStepCall TrainStepBuffers::call(Loss loss, std::int64_t n) const {
  if (n > rows) {
    throw InputError("train_step: a call on " + std::to_string(n) + " rows, but the buffers hold " +
                     std::to_string(rows));
  }
  TrainStepCall c;
  c.loss = loss;
  c.inputs = static_cast<const float*>(inputs.data());
  c.targets = static_cast<const float*>(targets.data());
  c.weights = static_cast<float*>(weights.data());
  c.bias = static_cast<float*>(bias.data());
  c.n = n;
  c.d = d;
  c.k = k;
  c.grad_weights = static_cast<float*>(grad_weights.data());
  c.grad_bias = static_cast<float*>(grad_bias.data());
  c.loss_value = static_cast<double*>(loss_value.data());
  return c;
}

}  // namespace lossbench
