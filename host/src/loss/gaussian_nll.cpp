// gaussian_nll(): validation, then dispatch to the chosen backend.
#include "lossbench/loss/gaussian_nll.hpp"

#include <string>

#include "backends/backend_table.hpp"
#include "core/argument_checks.hpp"

namespace lossbench {

bool has_gaussian_nll(Backend backend) {
  const detail::BackendEntry& entry = detail::backend_entry(backend);
  return entry.gaussian_nll != nullptr && entry.gaussian_nll_workspace != nullptr;
}

void gaussian_nll(const GaussianNllCall& call, Backend backend, void* workspace, std::size_t workspace_bytes,
                  void* stream) {
  validate(call);
  const detail::BackendEntry& entry = detail::available_backend(backend);
  const auto run = detail::require_facility(entry, entry.gaussian_nll, "gaussian_nll");
  const std::size_t needed = gaussian_nll_workspace_size(call.n, call.reduction, backend);
  detail::require(workspace_bytes >= needed, "gaussian_nll",
                  "the workspace holds " + std::to_string(workspace_bytes) + " bytes but n = " +
                      std::to_string(call.n) + " needs " + std::to_string(needed) +
                      " (see gaussian_nll_workspace_size)");
  detail::require(needed == 0 || workspace != nullptr, "gaussian_nll", "workspace is null");
  // PyTorch refuses a negative variance; check it where the host can read it.
  if (entry.host_addressable) validate_gaussian_nll_var(call);
  run(call, workspace, stream);
}

}  // namespace lossbench
