// The cuda backend's entry in a build without the CUDA toolkit
// (LOSSBENCH_CUDA=OFF or no nvcc found): it reports itself unavailable, and
// why, and still answers the shape queries, which ask nothing of a device.
#include "backends/backend_table.hpp"
#include "backends/launch/kernel_shapes.hpp"

namespace lossbench::detail {

const BackendEntry& cuda_backend() {
  static const BackendEntry entry{
      .backend = Backend::cuda,
      .availability =
          [] {
            return BackendAvailability{
                false, "this build of lossbench has no CUDA backend (configured with LOSSBENCH_CUDA=OFF or without nvcc)"};
          },
      .memory = {},
      .host_addressable = false,
      .fused_loss_workspace = kernels::fused_loss_workspace_bytes,
      .fused_loss = nullptr,
      .softmax_loss_workspace = kernels::softmax_loss_workspace_bytes,
      .softmax_loss = nullptr,
      .gaussian_nll_workspace = kernels::gaussian_nll_workspace_bytes,
      .gaussian_nll = nullptr,
      .train_step_limits = kernels::kTrainStepKernelLimits,
      .train_step_workspace = kernels::train_step_workspace_bytes,
      .train_step = nullptr,
      .evaluate_workspace = kernels::evaluate_workspace_bytes,
      .evaluate = nullptr,
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
