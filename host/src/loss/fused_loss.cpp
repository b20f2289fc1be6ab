// fused_loss(): validation, then dispatch to the chosen backend.
#include "lossbench/loss/fused_loss.hpp"

#include <string>

#include "backends/backends.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench {

void fused_loss(const FusedLossCall& call, Backend backend, void* workspace, std::size_t workspace_bytes,
                void* stream) {
  validate(call);
  const BackendAvailability availability = backend_availability(backend);
  if (!availability.available) {
    throw BackendError("backend " + std::string(to_string(backend)) + " is not available: " + availability.reason);
  }
  const std::size_t needed = fused_loss_workspace_size(call);
  if (backend != Backend::ref) {  // ref needs no workspace
    if (workspace_bytes < needed) {
      throw InputError("fused_loss: the workspace holds " + std::to_string(workspace_bytes) + " bytes but n = " +
                       std::to_string(call.n) + " needs " + std::to_string(needed) +
                       " (see fused_loss_workspace_size)");
    }
    if (needed > 0 && workspace == nullptr) throw InputError("fused_loss: workspace is null");
  }
  switch (backend) {
    case Backend::ref: return detail::fused_loss_ref(call);
    case Backend::emu: return detail::fused_loss_emu(call, workspace);
    case Backend::cuda: return detail::fused_loss_cuda(call, workspace, stream);
    case Backend::cpu: break;
  }
  throw BackendError("backend " + std::string(to_string(backend)) + " cannot run fused_loss");
}

}  // namespace lossbench
