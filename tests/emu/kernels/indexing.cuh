#pragma once
// Each thread records who it is: threadIdx, blockIdx, blockDim, gridDim.
#include "kernels/common/cuda_compat.cuh"

namespace lossbench::test_kernels {

// out[6·g .. 6·g + 5] = threadIdx.xyz, blockIdx.xyz for the thread whose
// global linear index is g (x fastest, then y, then z, blocks likewise).
__global__ void record_indices(unsigned* out) {
  const unsigned threads_per_block = blockDim.x * blockDim.y * blockDim.z;
  const unsigned block = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
  const unsigned thread = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
  unsigned* mine = out + 6 * (block * threads_per_block + thread);
  mine[0] = threadIdx.x;
  mine[1] = threadIdx.y;
  mine[2] = threadIdx.z;
  mine[3] = blockIdx.x;
  mine[4] = blockIdx.y;
  mine[5] = blockIdx.z;
}

}  // namespace lossbench::test_kernels
