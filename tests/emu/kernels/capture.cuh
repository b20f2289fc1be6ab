#pragma once
// Two kernels whose order matters, for stream capture and replay.
#include "kernels/common/cuda_compat.cuh"

namespace lossbench::test_kernels {

__global__ void add_to_each(int* values, int count, int addend) {
  const int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (i < count) values[i] += addend;
}

__global__ void scale_each(int* values, int count, const int* factor) {
  const int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (i < count) values[i] *= *factor;
}

}  // namespace lossbench::test_kernels
