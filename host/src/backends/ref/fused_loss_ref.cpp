// The ref backend of fused_loss(): the double-precision reference on host
// pointers, with outputs rounded once to their dtype.
#include "backends/ref/ref_backend.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"

namespace lossbench::detail {

void fused_loss_ref(const FusedLossCall& call, void*, void*) {
  reference::Options options;
  options.pos_weight = call.pos_weight;
  options.activation = call.activation;
  if (call.weight != nullptr) options.weight = reference::BroadcastView{call.weight, call.dtype, call.weight_layout};
  if (call.pos_weights != nullptr) {
    options.pos_weights = reference::BroadcastView{call.pos_weights, call.dtype, call.pos_weight_layout};
  }
  options.grad_scale = call.grad_scale;
  const ConstArrayView logits{call.logits, call.dtype, call.n};
  const ConstArrayView targets{call.targets, call.dtype, call.n};
  // The reference returns whole vectors, so writing the gradient over the
  // logits afterwards is safe.
  const reference::Result result = reference::compute(call.loss, call.reduction, logits, targets, options);
  const auto n = static_cast<std::size_t>(call.n);
  if (call.grad != nullptr) {
    for (std::size_t i = 0; i < n; ++i) store_from_double(call.grad, call.dtype, i, result.grad[i]);
  }
  if (call.elementwise_loss != nullptr) {
    for (std::size_t i = 0; i < n; ++i) store_from_double(call.elementwise_loss, call.dtype, i, result.elementwise_loss[i]);
  }
  if (call.reduced_loss != nullptr) *call.reduced_loss = *result.reduced_loss;
}

}  // namespace lossbench::detail
