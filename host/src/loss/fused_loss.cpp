// fused_loss(): validation, then dispatch to the chosen backend.
#include "lossbench/loss/fused_loss.hpp"

#include <string>

#include "backends/backend_table.hpp"
#include "core/argument_checks.hpp"

namespace lossbench {

void fused_loss(const FusedLossCall& call, Backend backend, void* workspace, std::size_t workspace_bytes,
                void* stream) {
  validate(call);
  const detail::BackendEntry& entry = detail::available_backend(backend);
  const std::size_t needed = entry.fused_loss_workspace(call.n, call.reduction);
  detail::require(workspace_bytes >= needed, "fused_loss",
                  "the workspace holds " + std::to_string(workspace_bytes) + " bytes but n = " +
                      std::to_string(call.n) + " needs " + std::to_string(needed) +
                      " (see fused_loss_workspace_size)");
  detail::require(needed == 0 || workspace != nullptr, "fused_loss", "workspace is null");
  detail::require_facility(entry, entry.fused_loss, "fused_loss")(call, workspace, stream);
}

}  // namespace lossbench
