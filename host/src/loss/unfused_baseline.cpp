#include "lossbench/loss/unfused_baseline.hpp"

#include <string>

#include "backends/backend_table.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench {

namespace {

const detail::BackendEntry& unfused_backend(Backend backend) {
  const detail::BackendEntry& entry = detail::available_backend(backend);
  detail::require_facility(entry, entry.unfused, "the unfused baseline");
  return entry;
}

}  // namespace

UnfusedBaseline::UnfusedBaseline(Backend backend, const FusedLossCall& shape)
    : backend_(backend),
      n_(shape.n),
      dtype_(shape.dtype),
      probabilities_(backend, static_cast<std::size_t>(shape.n) * dtype_size(shape.dtype)),
      elementwise_loss_(backend, static_cast<std::size_t>(shape.n) * sizeof(float)),
      sum_(backend, sizeof(float)),
      reduce_temp_(backend, unfused_backend(backend).unfused_temp_bytes(shape.n)) {}

void UnfusedBaseline::run(const FusedLossCall& call, void* stream) {
  validate(call);
  if (call.reduction == Reduction::none) throw InputError("the unfused baseline computes mean or sum, not none");
  if (call.pos_weight != 1.0f || call.pos_weights != nullptr) {
    throw InputError("the unfused baseline has no pos_weight");
  }
  if (call.weight != nullptr) throw InputError("the unfused baseline has no weight");
  if (call.n != n_ || call.dtype != dtype_) {
    throw InputError("the unfused baseline was set up for n = " + std::to_string(n_) + " " +
                     std::string(to_string(dtype_)) + ", not n = " + std::to_string(call.n) + " " +
                     std::string(to_string(call.dtype)));
  }
  const detail::UnfusedBuffers buffers{probabilities_.data(), static_cast<float*>(elementwise_loss_.data()),
                                       static_cast<float*>(sum_.data()), reduce_temp_.data(), reduce_temp_.size()};
  unfused_backend(backend_).unfused(call, buffers, stream);
}

}  // namespace lossbench
