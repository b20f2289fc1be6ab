// The cpu backend's entry in the backend table: always available, host
// memory, SIMD + threads; no launches to record, no baselines.
#include "backends/cpu/cpu_backend.hpp"

#include <limits>

#include "backends/cpu/train_tiling_cpu.hpp"
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
      .softmax_loss_workspace = softmax_loss_cpu_workspace,
      .softmax_loss = softmax_loss_cpu,
      .gaussian_nll_workspace = gaussian_nll_cpu_workspace,
      .gaussian_nll = gaussian_nll_cpu,
      // Any d (a tile's rows are staged in memory of its own); k within the
      // register blocks of train_tile_simd.hpp.
      .train_step_limits = {std::numeric_limits<int>::max(), kCpuMaxOutputs},
      .train_step_workspace = train_step_cpu_workspace,
      .train_step = train_step_cpu,
      .evaluate_workspace = evaluate_cpu_workspace,
      .evaluate = evaluate_cpu,
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
