#pragma once
// A grid-stride elementwise kernel (y = a·x + y), for the emulator's speed.
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"

namespace lossbench::test_kernels {

__global__ void axpy_grid_stride(float a, const float* x, float* y, std::int64_t n) {
  const std::int64_t stride = std::int64_t{gridDim.x} * blockDim.x;
  for (std::int64_t i = std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x; i < n; i += stride) {
    y[i] = a * x[i] + y[i];
  }
}

// Writes one element past the end of `out`: AddressSanitizer must catch it.
__global__ void write_one_past_the_end(float* out, int n) {
  const int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (i <= n) out[i] = 1.0f;  // the bug: <= instead of <
}

}  // namespace lossbench::test_kernels
