// The ref backend of train_step(): the double-precision reference on host
// pointers, each output rounded once to float.
#include "backends/ref/ref_backend.hpp"
#include "lossbench/reference/train_step_reference.hpp"

namespace lossbench::detail {

void train_step_ref(const TrainStepCall& call, void*, void*) {
  const reference::TrainStepResult r = reference::train_step(call.loss, call.inputs, call.targets, call.weights,
                                                             call.bias, call.n, call.d, call.k);
  for (std::size_t i = 0; i < r.grad_weights.size(); ++i) call.grad_weights[i] = static_cast<float>(r.grad_weights[i]);
  for (std::size_t j = 0; j < r.grad_bias.size(); ++j) call.grad_bias[j] = static_cast<float>(r.grad_bias[j]);
  *call.loss_value = r.loss;
}

}  // namespace lossbench::detail
