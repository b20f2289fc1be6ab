// The unfused softmax cross-entropy baseline's kernels on the GPU, stream-ordered.
#include "backends/cuda/cuda_backend.hpp"
#include "backends/launch/softmax_unfused_baseline_launch.cuh"

namespace lossbench::detail {

std::size_t softmax_unfused_cuda_temp_bytes(std::int64_t rows) {
  return kernels::softmax_unfused_reduce_temp_bytes(rows);
}

void softmax_unfused_cuda(const SoftmaxLossCall& call, const SoftmaxUnfusedBuffers& buffers, void* stream) {
  kernels::launch_softmax_unfused(call, buffers, static_cast<cudaStream_t>(stream));
}

}  // namespace lossbench::detail
