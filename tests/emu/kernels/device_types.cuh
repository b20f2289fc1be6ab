#pragma once
// The emulator's CUDA types (emu/device_types.hpp) next to CUDA's own: the
// 16-bit float conversions, element by element, and float4's layout.
#include "kernels/common/cuda_compat.cuh"

namespace lossbench::test_kernels {

// CUDA declares float4 16 bytes, 16-byte aligned: a misaligned float4 access
// must be as wrong under the emulator (UBSan) as on the GPU.
static_assert(sizeof(float4) == 16 && alignof(float4) == 16, "float4 is 16 bytes, 16-byte aligned");

// Each thread rounds in[i] to both 16-bit formats and converts them back.
__global__ void round_to_16_bit(const float* in, __half* half_out, float* half_back, __nv_bfloat16* bf16_out,
                                float* bf16_back, int n) {
  const int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (i >= n) return;
  const __half h = __float2half_rn(in[i]);
  const __nv_bfloat16 b = __float2bfloat16_rn(in[i]);
  half_out[i] = h;
  half_back[i] = __half2float(h);
  bf16_out[i] = b;
  bf16_back[i] = __bfloat162float(b);
}

// One float4 per thread, its components reversed: x, y, z, w in that order
// in memory, loaded and stored as one 16-byte access.
__global__ void reverse_float4(const float4* in, float4* out) {
  const float4 v = in[threadIdx.x];
  out[threadIdx.x] = float4{v.w, v.z, v.y, v.x};
}

}  // namespace lossbench::test_kernels
