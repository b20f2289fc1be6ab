// The cuda backend of fused_loss(): the kernel on the GPU through the same
// launcher the emulator runs, with the grid sized by the occupancy API.
#include <nvtx3/nvtx3.hpp>

#include "backends/cuda/cuda_backend.hpp"
#include "backends/cuda/kernel_capacity.hpp"
#include "backends/launch/fused_loss_launch.cuh"

namespace lossbench::detail {

void fused_loss_cuda(const FusedLossCall& call, void* workspace, void* stream) {
  // A named range per call for Nsight Systems; costs nothing without a tool attached.
  const nvtx3::scoped_range range{"lossbench::fused_loss"};
  const auto capacity_of = [](auto kernel) {
    return kernel_capacity(reinterpret_cast<const void*>(kernel), kernels::kBlockThreads);
  };
  kernels::launch_fused_loss(call, workspace, static_cast<cudaStream_t>(stream), capacity_of);
}

}  // namespace lossbench::detail
