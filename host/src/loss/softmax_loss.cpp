// softmax_loss(): the names of its options, validation, then dispatch to the
// chosen backend.
#include "lossbench/loss/softmax_loss.hpp"

#include <string>

#include "backends/backend_table.hpp"
#include "core/argument_checks.hpp"
#include "loss/softmax_target_checks.hpp"

namespace lossbench {

std::string_view to_string(SoftmaxLoss loss) { return loss == SoftmaxLoss::kl ? "kl" : "cross_entropy"; }

std::string_view to_string(SoftmaxReduction reduction) {
  switch (reduction) {
    case SoftmaxReduction::none: return "none";
    case SoftmaxReduction::sum: return "sum";
    case SoftmaxReduction::mean: return "mean";
    case SoftmaxReduction::batchmean: return "batchmean";
  }
  return "unknown";
}

std::string_view to_string(SoftmaxTargets targets) {
  switch (targets) {
    case SoftmaxTargets::class_index_i32: return "class_index_i32";
    case SoftmaxTargets::class_index_i64: return "class_index_i64";
    case SoftmaxTargets::probabilities: return "probabilities";
  }
  return "unknown";
}

bool has_softmax_loss(Backend backend) {
  const detail::BackendEntry& entry = detail::backend_entry(backend);
  return entry.softmax_loss != nullptr && entry.softmax_loss_workspace != nullptr;
}

void softmax_loss(const SoftmaxLossCall& call, Backend backend, void* workspace, std::size_t workspace_bytes,
                  void* stream) {
  validate(call);
  const detail::BackendEntry& entry = detail::available_backend(backend);
  const auto run = detail::require_facility(entry, entry.softmax_loss, "softmax_loss");
  const std::size_t needed = softmax_loss_workspace_size(call, backend);
  detail::require(workspace_bytes >= needed, "softmax_loss",
                  "the workspace holds " + std::to_string(workspace_bytes) + " bytes but the call needs " +
                      std::to_string(needed) + " (see softmax_loss_workspace_size)");
  detail::require(needed == 0 || workspace != nullptr, "softmax_loss", "workspace is null");
  // An index out of range would be read out of bounds; check it where the host can read it.
  if (entry.host_addressable) detail::require_class_indices_in_range(call);
  run(call, workspace, stream);
}

}  // namespace lossbench
