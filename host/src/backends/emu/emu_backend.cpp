// The emu backend's entry in the backend table: always available, host
// memory, the kernels' workspaces and limits, replay lists, the unfused
// baseline; no cuBLAS.
#include "backends/emu/emu_backend.hpp"
#include "backends/host_memory.hpp"
#include "backends/launch/kernel_shapes.hpp"
#include "backends/launch/launch_sequence.cuh"

namespace lossbench::detail {

const BackendEntry& emu_backend() {
  static const BackendEntry entry{
      .backend = Backend::emu,
      .availability = [] { return BackendAvailability{true, ""}; },
      .memory = host_memory(),
      .host_addressable = true,
      .fused_loss_workspace = kernels::fused_loss_workspace_bytes,
      .fused_loss = fused_loss_emu,
      .softmax_loss_workspace = kernels::softmax_loss_workspace_bytes,
      .softmax_loss = softmax_loss_emu,
      .gaussian_nll_workspace = kernels::gaussian_nll_workspace_bytes,
      .gaussian_nll = gaussian_nll_emu,
      .train_step_limits = kernels::kTrainStepKernelLimits,
      .train_step_workspace = kernels::train_step_workspace_bytes,
      .train_step = train_step_emu,
      .evaluate_workspace = kernels::evaluate_workspace_bytes,
      .evaluate = evaluate_emu,
      .sequences = {kernels::create_capture_stream, kernels::destroy_capture_stream, kernels::begin_capture,
                    kernels::end_capture, kernels::replay, kernels::destroy_sequence, kernels::synchronize_stream},
      .unfused_temp_bytes = unfused_emu_temp_bytes,
      .unfused = unfused_emu,
      .softmax_unfused_temp_bytes = softmax_unfused_emu_temp_bytes,
      .softmax_unfused = softmax_unfused_emu,
      .blas_create = nullptr,
      .blas_destroy = nullptr,
      .train_step_baseline = nullptr,
  };
  return entry;
}

}  // namespace lossbench::detail
