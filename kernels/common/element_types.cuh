#pragma once
// Conversions between the storage types of logits, targets and gradients
// (float, __half, __nv_bfloat16) and float, in which all math is done; and the
// 16-byte pack through which the fused kernels load and store them.
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"

namespace lossbench::kernels {

__host__ __device__ __forceinline__ float to_float(float v) { return v; }
__host__ __device__ __forceinline__ float to_float(__half v) { return __half2float(v); }
__host__ __device__ __forceinline__ float to_float(__nv_bfloat16 v) { return __bfloat162float(v); }

template <class T>
__host__ __device__ __forceinline__ T from_float(float v);
template <>
__host__ __device__ __forceinline__ float from_float<float>(float v) { return v; }
template <>
__host__ __device__ __forceinline__ __half from_float<__half>(float v) { return __float2half_rn(v); }
template <>
__host__ __device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float v) {
  return __float2bfloat16_rn(v);
}

/// 16 bytes of elements: 4 floats or 8 halves. Loading one through an aligned
/// pointer is a single 128-bit memory instruction (ld.global.v4), the widest
/// a thread can issue, which is what a memory-bound kernel needs.
template <class T>
struct alignas(16) Pack16 {
  static constexpr int kElements = 16 / static_cast<int>(sizeof(T));
  T v[kElements];
};

/// Whether memory at `p` can be read and written as Pack16s (and float4s):
/// what a launcher asks before it picks a kernel's vector path.
__host__ __device__ __forceinline__ bool aligned16(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p) % 16 == 0;
}

}  // namespace lossbench::kernels
