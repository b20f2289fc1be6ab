// The emulator's CUDA types: __float2half_rn / __float2bfloat16_rn round to
// nearest even (with overflow to infinity, gradual underflow and NaN kept),
// __half2float / __bfloat162float are exact, as the CUDA Math API documents
// them; float4 is four floats x, y, z, w moved as one.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

#include "backends/launch/kernel_launch.cuh"
#include "kernels/device_types.cuh"

namespace lossbench {
namespace {

std::uint16_t bits_of(const void* value) {
  std::uint16_t bits;
  std::memcpy(&bits, value, 2);
  return bits;
}

struct Rounding {
  float in;
  std::uint16_t half_bits;
  float half_value;
  std::uint16_t bf16_bits;
  float bf16_value;
};

constexpr float kInf = std::numeric_limits<float>::infinity();

// Worked out by hand from IEEE 754 binary16 (11-bit significand, max 65504,
// smallest subnormal 2^-24) and bfloat16 (float32's upper 16 bits: 8-bit
// significand), round to nearest, ties to even.
const Rounding kRoundings[] = {
    {0.0f, 0x0000, 0.0f, 0x0000, 0.0f},
    {-0.0f, 0x8000, -0.0f, 0x8000, -0.0f},
    {1.0f, 0x3c00, 1.0f, 0x3f80, 1.0f},
    {-2.0f, 0xc000, -2.0f, 0xc000, -2.0f},
    {0.1f, 0x2e66, 0.0999755859375f, 0x3dcd, 0.10009765625f},
    {1.0f + 0x1p-11f, 0x3c00, 1.0f, 0x3f80, 1.0f},                                // f16 tie, to even (down)
    {1.0f + 0x3p-11f, 0x3c02, 1.0f + 0x1p-9f, 0x3f80, 1.0f},                      // f16 tie, to even (up)
    {1.0f + 0x1p-8f, 0x3c04, 1.0f + 0x1p-8f, 0x3f80, 1.0f},                       // bf16 tie, to even (down)
    {1.0f + 0x3p-8f, 0x3c0c, 1.0f + 0x3p-8f, 0x3f82, 1.0f + 0x1p-6f},             // bf16 tie, to even (up)
    {1.0f + 0x1p-8f + 0x1p-20f, 0x3c04, 1.0f + 0x1p-8f, 0x3f81, 1.0f + 0x1p-7f},  // just above the bf16 tie
    {65504.0f, 0x7bff, 65504.0f, 0x4780, 65536.0f},                               // f16's largest
    {65519.0f, 0x7bff, 65504.0f, 0x4780, 65536.0f},                               // below the f16 overflow midpoint
    {65520.0f, 0x7c00, kInf, 0x4780, 65536.0f},                                   // the midpoint overflows (to even)
    {1e5f, 0x7c00, kInf, 0x47c3, 99840.0f},
    {-1e5f, 0xfc00, -kInf, 0xc7c3, -99840.0f},
    {0x1p-14f, 0x0400, 0x1p-14f, 0x3880, 0x1p-14f},  // f16's smallest normal
    {0x1p-24f, 0x0001, 0x1p-24f, 0x3380, 0x1p-24f},  // f16's smallest subnormal
    {0x1p-25f, 0x0000, 0.0f, 0x3300, 0x1p-25f},      // half of it: tie, to even (0)
    {0x1.8p-25f, 0x0001, 0x1p-24f, 0x3340, 0x1.8p-25f},
    {0x3p-25f, 0x0002, 0x1p-23f, 0x33c0, 0x3p-25f},                   // tie between 1 and 2 subnormal ulps
    {0x1p-133f, 0x0000, 0.0f, 0x0001, 0x1p-133f},                     // bf16's smallest subnormal
    {0x1p-149f, 0x0000, 0.0f, 0x0000, 0.0f},                          // float's smallest subnormal
    {std::numeric_limits<float>::max(), 0x7c00, kInf, 0x7f80, kInf},  // rounds past bf16's largest
    {kInf, 0x7c00, kInf, 0x7f80, kInf},
    {-kInf, 0xfc00, -kInf, 0xff80, -kInf},
};

TEST(EmuDeviceTypes, SixteenBitConversionsRoundToNearestEven) {
  std::vector<float> in;
  for (const Rounding& r : kRoundings) in.push_back(r.in);
  in.push_back(std::numeric_limits<float>::quiet_NaN());
  const int n = static_cast<int>(in.size());
  std::vector<__half> halves(n);
  std::vector<__nv_bfloat16> bf16s(n);
  std::vector<float> half_back(n, -1.0f), bf16_back(n, -1.0f);
  launch(&test_kernels::round_to_16_bit, dim3(1), dim3(64), 0, default_stream(), in.data(), halves.data(),
         half_back.data(), bf16s.data(), bf16_back.data(), n);
  for (std::size_t i = 0; i < std::size(kRoundings); ++i) {
    const Rounding& r = kRoundings[i];
    char input[64];
    std::snprintf(input, sizeof input, "input %g (%a)", static_cast<double>(r.in), static_cast<double>(r.in));
    SCOPED_TRACE(input);
    EXPECT_EQ(bits_of(&halves[i]), r.half_bits);
    EXPECT_EQ(bits_of(&bf16s[i]), r.bf16_bits);
    // The conversions back are exact, signed zeros included.
    EXPECT_EQ(half_back[i], r.half_value);
    EXPECT_EQ(std::signbit(half_back[i]), std::signbit(r.half_value));
    EXPECT_EQ(bf16_back[i], r.bf16_value);
    EXPECT_EQ(std::signbit(bf16_back[i]), std::signbit(r.bf16_value));
  }
  // NaN stays NaN (CUDA returns its canonical NaN; any NaN bits will do).
  EXPECT_TRUE(std::isnan(half_back[n - 1]));
  EXPECT_TRUE(std::isnan(bf16_back[n - 1]));
  EXPECT_EQ(bits_of(&halves[n - 1]) & 0x7c00, 0x7c00);
  EXPECT_NE(bits_of(&halves[n - 1]) & 0x03ff, 0);
}

TEST(EmuDeviceTypes, Float4IsFourFloatsInOrder) {
  constexpr int kThreads = 8;
  std::vector<float4> in(kThreads), out(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    const auto base = static_cast<float>(4 * t);
    in[t] = float4{base, base + 1, base + 2, base + 3};
  }
  launch(&test_kernels::reverse_float4, dim3(1), dim3(kThreads), 0, default_stream(),
         static_cast<const float4*>(in.data()), out.data());
  std::vector<float> flat(4 * kThreads);
  std::memcpy(flat.data(), out.data(), flat.size() * sizeof(float));
  for (int i = 0; i < 4 * kThreads; ++i) EXPECT_EQ(flat[i], static_cast<float>(i / 4 * 4 + 3 - i % 4)) << i;
}

// The error codes the launchers check (check_status: CUB's status, the
// dynamic shared memory opt-in) have CUDA's values, names and descriptions,
// so that an emulated refusal reads like the GPU's.
TEST(EmuDeviceTypes, ErrorCodesAreCudas) {
  EXPECT_EQ(cudaSuccess, 0);
  EXPECT_EQ(cudaErrorInvalidValue, 1);
  EXPECT_STREQ(cudaGetErrorName(cudaSuccess), "cudaSuccess");
  EXPECT_STREQ(cudaGetErrorString(cudaSuccess), "no error");
  EXPECT_NO_THROW(check_status(cudaSuccess, "cub::DeviceReduce::Sum"));
  try {
    check_status(cudaErrorInvalidValue, "cudaFuncSetAttribute");
    ADD_FAILURE() << "cudaErrorInvalidValue passed check_status";
  } catch (const BackendError& e) {
    EXPECT_STREQ(e.what(), "cudaFuncSetAttribute failed: cudaErrorInvalidValue (invalid argument)");
  }
  // A code the emulator never returns is not passed off as one it knows.
  EXPECT_STREQ(cudaGetErrorName(999), "cudaErrorUnknown");
}

}  // namespace
}  // namespace lossbench
