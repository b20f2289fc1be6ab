#pragma once
// The CUDA built-in types that kernels use, for the emulator (g++): dim3 and
// uint3, float4, and __half / __nv_bfloat16 with their round-to-nearest
// conversions; and the error codes of the host calls the launchers check.
// The toolkit's own headers are not used here, so that a build without the
// toolkit and a build with it emulate exactly the same thing.
#include <cstdint>

namespace lossbench::emu {
float half_bits_to_float(std::uint16_t bits);
std::uint16_t float_to_half_bits_rn(float value);
float bfloat16_bits_to_float(std::uint16_t bits);
std::uint16_t float_to_bfloat16_bits_rn(float value);
}  // namespace lossbench::emu

struct uint3 {
  unsigned int x, y, z;
};

struct dim3 {
  unsigned int x, y, z;
  constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
  constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
  constexpr operator uint3() const { return {x, y, z}; }
};

// The alignment CUDA declares, so that a 16-byte vector access through a
// misaligned pointer is just as wrong here (UBSan's alignment check) as there.
struct alignas(16) float4 {
  float x, y, z, w;
};

/// IEEE binary16, stored as its bits; arithmetic goes through float.
struct __half {
  std::uint16_t bits;
};
/// bfloat16, stored as its bits.
struct __nv_bfloat16 {
  std::uint16_t bits;
};

inline float __half2float(__half h) { return lossbench::emu::half_bits_to_float(h.bits); }
inline __half __float2half_rn(float f) { return {lossbench::emu::float_to_half_bits_rn(f)}; }
inline float __bfloat162float(__nv_bfloat16 b) { return lossbench::emu::bfloat16_bits_to_float(b.bits); }
inline __nv_bfloat16 __float2bfloat16_rn(float f) { return {lossbench::emu::float_to_bfloat16_bits_rn(f)}; }

/// The emulator's CUDA error codes, for the host APIs that return one, with
/// CUDA's values: success, an argument the device refuses, and the misuses of
/// stream capture (emu/launch.hpp) that CUDA reports.
using cudaError_t = int;
inline constexpr cudaError_t cudaSuccess = 0;
inline constexpr cudaError_t cudaErrorInvalidValue = 1;
inline constexpr cudaError_t cudaErrorInvalidResourceHandle = 400;
inline constexpr cudaError_t cudaErrorIllegalState = 401;
inline constexpr cudaError_t cudaErrorStreamCaptureUnsupported = 900;
inline constexpr cudaError_t cudaErrorStreamCaptureUnmatched = 903;
const char* cudaGetErrorName(cudaError_t error);
const char* cudaGetErrorString(cudaError_t error);
