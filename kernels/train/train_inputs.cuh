#pragma once
// The inputs X of the training step, as the kernels read them: float32
// values, or uint8 pixels (Fashion-MNIST's native form, a quarter of the
// bytes) that stand for x = v / 255. One definition for the kernels, the ref
// backend and the data loader, so that a data set trained from its pixels and
// from their float conversion sees the same x, bit for bit.
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

__host__ __device__ __forceinline__ float input_value(float x) { return x; }

/// v / 255 rounded once to float, as float(v) / 255.0f is, without the
/// division: q = v·(1/255) is within an ulp, and one Newton correction with
/// the exact residual v − 255·q (an fma) rounds it correctly for every v in
/// [0, 255] (tested exhaustively: tests/train/test_kernels_train_inputs.cpp).
__host__ __device__ __forceinline__ float input_value(std::uint8_t v) {
  constexpr float kInverse = 1.0f / 255.0f;
  const float x = static_cast<float>(v);
  const float q = x * kInverse;
  return fmaf(fmaf(-q, 255.0f, x), kInverse, q);
}

/// Four consecutive inputs loaded at once: a float4 of floats, a 32-bit word
/// of pixels (little-endian: byte b is element b).
template <class X>
struct InputPack;

template <>
struct InputPack<float> {
  using type = float4;
  __device__ __forceinline__ static float4 to_float4(float4 pack) { return pack; }
};

template <>
struct InputPack<std::uint8_t> {
  using type = std::uint32_t;
  __device__ __forceinline__ static float4 to_float4(std::uint32_t pack) {
    return float4{input_value(static_cast<std::uint8_t>(pack)), input_value(static_cast<std::uint8_t>(pack >> 8)),
                  input_value(static_cast<std::uint8_t>(pack >> 16)),
                  input_value(static_cast<std::uint8_t>(pack >> 24))};
  }
};

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
