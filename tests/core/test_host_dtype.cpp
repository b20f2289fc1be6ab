// Exact 16-bit float conversions: every bit pattern round-trips, and rounding
// from double is to nearest with ties to even, straight from double.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "lossbench/core/dtype.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench {
namespace {

TEST(HostDtype, EveryHalfRoundTrips) {
  for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const Half h{static_cast<std::uint16_t>(bits)};
    const float f = half_to_float(h);
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(half_to_float(double_to_half(f)))) << "bits " << bits;
      continue;
    }
    EXPECT_EQ(double_to_half(f).bits, h.bits) << "bits 0x" << std::hex << bits;
  }
}

TEST(HostDtype, EveryBFloat16RoundTrips) {
  for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const BFloat16 b{static_cast<std::uint16_t>(bits)};
    const float f = bfloat16_to_float(b);
    if (std::isnan(f)) continue;
    EXPECT_EQ(double_to_bfloat16(f).bits, b.bits) << "bits 0x" << std::hex << bits;
  }
}

TEST(HostDtype, HalfKnownValues) {
  EXPECT_EQ(half_to_float(Half{0x3c00}), 1.0f);
  EXPECT_EQ(half_to_float(Half{0xc000}), -2.0f);
  EXPECT_EQ(half_to_float(Half{0x7bff}), 65504.0f);
  EXPECT_EQ(half_to_float(Half{0x0001}), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_EQ(half_to_float(Half{0x7c00}), std::numeric_limits<float>::infinity());
  EXPECT_EQ(double_to_half(65519.99).bits, 0x7bff);  // below the halfway point to 2^16
  EXPECT_EQ(double_to_half(65520.0).bits, 0x7c00);   // the tie rounds to even: infinity
  EXPECT_EQ(double_to_half(-1e30).bits, 0xfc00);
  EXPECT_EQ(double_to_half(std::ldexp(1.0, -25)).bits, 0x0000);  // tie to even: zero
  EXPECT_EQ(double_to_half(std::ldexp(1.5, -25)).bits, 0x0001);
  EXPECT_EQ(double_to_half(std::ldexp(3.0, -25)).bits, 0x0002);  // 1.5 units, tie to even: 2
}

TEST(HostDtype, RoundsTiesToEvenFromDoubleWithoutDoubleRounding) {
  // 1 + 2^-11 is exactly halfway between 1 and the next half, 1 + 2^-10: ties to even gives 1.
  EXPECT_EQ(double_to_half(1.0 + std::ldexp(1.0, -11)).bits, 0x3c00);
  // Just above the tie by less than a float ulp: rounding through float would
  // first round to the tie and then to 1; straight from double it goes up.
  EXPECT_EQ(double_to_half(1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40)).bits, 0x3c01);
  EXPECT_EQ(double_to_bfloat16(1.0 + std::ldexp(1.0, -8) + std::ldexp(1.0, -40)).bits, 0x3f81);
  EXPECT_EQ(double_to_bfloat16(1.0 + std::ldexp(1.0, -8)).bits, 0x3f80);
}

TEST(HostDtype, LoadAndStoreEachDtype) {
  unsigned char buffer[8] = {};
  for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
    store_from_double(buffer, dtype, 1, -0.375);
    EXPECT_EQ(load_as_double(buffer, dtype, 1), -0.375) << to_string(dtype);
  }
}

TEST(HostDtype, ParseNamesAndRejectOthers) {
  EXPECT_EQ(parse_dtype("float16"), DType::f16);
  EXPECT_EQ(parse_dtype("bf16"), DType::bf16);
  EXPECT_EQ(dtype_size(DType::f32), 4u);
  EXPECT_THROW(parse_dtype("f64"), InputError);
}

}  // namespace
}  // namespace lossbench
