// The ref backend's entry in the backend table: always available, host
// memory, no workspace, any shape of training step, no launches to
// record, no baselines.
#include <limits>

#include "backends/host_memory.hpp"
#include "backends/ref/ref_backend.hpp"

namespace lossbench::detail {

const BackendEntry& ref_backend() {
  static const BackendEntry entry{
      .backend = Backend::ref,
      .availability = [] { return BackendAvailability{true, ""}; },
      .memory = host_memory(),
      .host_addressable = true,
      .fused_loss_workspace = [](std::int64_t, Reduction) -> std::size_t { return 0; },
      .fused_loss = fused_loss_ref,
      .softmax_loss_workspace = [](const SoftmaxLossCall&) -> std::size_t { return 0; },
      .softmax_loss = softmax_loss_ref,
      .gaussian_nll_workspace = [](std::int64_t, Reduction) -> std::size_t { return 0; },
      .gaussian_nll = gaussian_nll_ref,
      .train_step_limits = {std::numeric_limits<int>::max(), std::numeric_limits<int>::max()},
      .train_step_workspace = [](std::int64_t, int, int) -> std::size_t { return 0; },
      .train_step = train_step_ref,
      .evaluate_workspace = [](std::int64_t, int, int) -> std::size_t { return 0; },
      .evaluate = evaluate_ref,
      .sequences = {},
      .unfused_temp_bytes = nullptr,
      .unfused = nullptr,
      .softmax_unfused_temp_bytes = nullptr,
      .softmax_unfused = nullptr,
      .blas_create = nullptr,
      .blas_destroy = nullptr,
      .train_step_baseline = nullptr,
  };
  return entry;
}

}  // namespace lossbench::detail
