// The unfused baseline's kernels on the GPU, stream-ordered.
#include "backends/cuda/cuda_backend.hpp"
#include "backends/launch/unfused_baseline_launch.cuh"

namespace lossbench::detail {

std::size_t unfused_cuda_temp_bytes(std::int64_t n) { return kernels::unfused_reduce_temp_bytes(n); }

void unfused_cuda(const FusedLossCall& call, const UnfusedBuffers& buffers, void* stream) {
  kernels::launch_unfused(call, buffers, static_cast<cudaStream_t>(stream));
}

}  // namespace lossbench::detail
