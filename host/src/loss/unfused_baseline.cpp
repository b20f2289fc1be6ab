#include "lossbench/loss/unfused_baseline.hpp"

#include <string>

#include "backends/backends.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench {

UnfusedBaseline::UnfusedBaseline(Backend backend, const FusedLossCall& shape)
    : backend_(backend),
      n_(shape.n),
      dtype_(shape.dtype),
      probabilities_(backend, static_cast<std::size_t>(shape.n) * dtype_size(shape.dtype)),
      elementwise_loss_(backend, static_cast<std::size_t>(shape.n) * sizeof(float)),
      sum_(backend, sizeof(float)),
      reduce_temp_(backend, backend == Backend::cuda ? detail::unfused_cuda_temp_bytes(shape.n)
                                                     : detail::unfused_emu_temp_bytes(shape.n)) {
  if (backend != Backend::emu && backend != Backend::cuda) {
    throw InputError("the unfused baseline runs on emu or cuda, not " + std::string(to_string(backend)));
  }
}

void UnfusedBaseline::run(const FusedLossCall& call, void* stream) {
  validate(call);
  if (call.reduction == Reduction::none) throw InputError("the unfused baseline computes mean or sum, not none");
  if (call.pos_weight != 1.0f) throw InputError("the unfused baseline has no pos_weight");
  if (call.n != n_ || call.dtype != dtype_) {
    throw InputError("the unfused baseline was set up for n = " + std::to_string(n_) + " " +
                     std::string(to_string(dtype_)) + ", not n = " + std::to_string(call.n) + " " +
                     std::string(to_string(call.dtype)));
  }
  const detail::UnfusedBuffers buffers{probabilities_.data(), static_cast<float*>(elementwise_loss_.data()),
                                       static_cast<float*>(sum_.data()), reduce_temp_.data(), reduce_temp_.size()};
  if (backend_ == Backend::cuda) return detail::unfused_cuda(call, buffers, stream);
  detail::unfused_emu(call, buffers);
}

}  // namespace lossbench
