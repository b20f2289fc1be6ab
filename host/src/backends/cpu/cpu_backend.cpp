// The cpu backend's entry in the backend table: always available, host
// memory, SIMD + threads; no launches to record, no baselines.
#include "backends/cpu/cpu_backend.hpp"
#include "backends/host_memory.hpp"

namespace lossbench::detail {

const BackendEntry& cpu_backend() {
  static const BackendEntry entry{
      .backend = Backend::cpu,
      .availability = [] { return BackendAvailability{true, ""}; },
      .memory = host_memory(),
      .host_addressable = true,
      .fused_loss_workspace = fused_loss_cpu_workspace,
      .fused_loss = fused_loss_cpu,
      .train_step_limits = {0, 0},
      .train_step_workspace = nullptr,
      .train_step = nullptr,
      .evaluate_workspace = nullptr,
      .evaluate = nullptr,
      .sequences = {},
      .unfused_temp_bytes = nullptr,
      .unfused = nullptr,
      .blas_create = nullptr,
      .blas_destroy = nullptr,
      .train_step_baseline = nullptr,
  };
  return entry;
}

}  // namespace lossbench::detail
