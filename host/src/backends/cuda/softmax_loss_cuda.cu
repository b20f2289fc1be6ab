// The cuda backend of softmax_loss(): the kernels on the GPU through the
// same launcher the emulator runs, with grids sized by the occupancy API.
#include <nvtx3/nvtx3.hpp>

#include "backends/cuda/cuda_backend.hpp"
#include "backends/cuda/kernel_capacity.hpp"
#include "backends/launch/softmax_loss_launch.cuh"

namespace lossbench::detail {

void softmax_loss_cuda(const SoftmaxLossCall& call, void* workspace, void* stream) {
  const nvtx3::scoped_range range{"lossbench::softmax_loss"};
  const auto capacity_of = [](auto kernel, int block_threads, std::size_t dynamic_shared) {
    return kernel_capacity(reinterpret_cast<const void*>(kernel), block_threads, dynamic_shared);
  };
  kernels::launch_softmax_loss(call, workspace, static_cast<cudaStream_t>(stream), capacity_of);
}

}  // namespace lossbench::detail
