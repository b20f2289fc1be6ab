#include "lossbench/core/dtype.hpp"

#include <bit>
#include <cmath>
#include <cstring>

#include "lossbench/core/error.hpp"

namespace lossbench {

std::size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::f32: return 4;
    case DType::f16: return 2;
    case DType::bf16: return 2;
  }
  throw InputError("dtype_size: unknown dtype value " + std::to_string(static_cast<int>(dtype)));
}

std::string_view to_string(DType dtype) {
  switch (dtype) {
    case DType::f32: return "f32";
    case DType::f16: return "f16";
    case DType::bf16: return "bf16";
  }
  return "unknown-dtype";
}

DType parse_dtype(std::string_view name) {
  if (name == "f32" || name == "float32") return DType::f32;
  if (name == "f16" || name == "float16" || name == "half") return DType::f16;
  if (name == "bf16" || name == "bfloat16") return DType::bf16;
  throw InputError("unknown dtype '" + std::string(name) + "': expected f32, f16 or bf16");
}

namespace {

// Rounds a double to a binary floating-point format with `exp_bits` exponent
// bits and `mant_bits` stored mantissa bits (binary16: 5, 10; bfloat16: 8, 7),
// to nearest with ties to even, straight from double so that nothing rounds
// twice. nearbyint() rounds ties to even in the default rounding mode.
std::uint16_t round_to_small_float(double x, int exp_bits, int mant_bits) {
  const int bias = (1 << (exp_bits - 1)) - 1;
  const int min_normal_exp = 1 - bias;
  const auto sign = static_cast<std::uint16_t>(std::signbit(x) ? 1u << (exp_bits + mant_bits) : 0u);
  const auto exp_all_ones = static_cast<std::uint16_t>(((1u << exp_bits) - 1u) << mant_bits);
  if (std::isnan(x)) return static_cast<std::uint16_t>(sign | exp_all_ones | (1u << (mant_bits - 1)));
  const double a = std::fabs(x);
  if (std::isinf(a)) return static_cast<std::uint16_t>(sign | exp_all_ones);
  if (a == 0.0) return sign;

  int frexp_exp = 0;
  std::frexp(a, &frexp_exp);
  int e = frexp_exp - 1;  // a lies in [2^e, 2^(e+1))
  if (e < min_normal_exp) {
    // Subnormal: count units of 2^(min_normal_exp - mant_bits). A result of
    // 2^mant_bits units is the smallest normal, whose encoding is the same integer.
    const double units = std::nearbyint(std::ldexp(a, mant_bits - min_normal_exp));
    return static_cast<std::uint16_t>(sign | static_cast<std::uint16_t>(units));
  }
  double significand = std::nearbyint(std::ldexp(a, mant_bits - e));  // in [2^m, 2^(m+1)]
  if (significand == std::ldexp(1.0, mant_bits + 1)) {
    significand /= 2;
    ++e;
  }
  if (e > bias) return static_cast<std::uint16_t>(sign | exp_all_ones);  // overflow: infinity
  const auto fraction = static_cast<unsigned>(significand) - (1u << mant_bits);
  return static_cast<std::uint16_t>(sign | (static_cast<unsigned>(e + bias) << mant_bits) | fraction);
}

}  // namespace

float half_to_float(Half h) {
  const unsigned sign = (h.bits >> 15) & 1u;
  const unsigned exponent = (h.bits >> 10) & 0x1fu;
  const unsigned fraction = h.bits & 0x3ffu;
  float magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<float>(fraction), -24);  // subnormal or zero
  } else if (exponent == 31) {
    magnitude = fraction == 0 ? INFINITY : NAN;
  } else {
    magnitude = std::ldexp(static_cast<float>(fraction | 0x400u), static_cast<int>(exponent) - 25);
  }
  return sign ? -magnitude : magnitude;
}

Half double_to_half(double value) { return Half{round_to_small_float(value, 5, 10)}; }

float bfloat16_to_float(BFloat16 b) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(b.bits) << 16);
}

BFloat16 double_to_bfloat16(double value) { return BFloat16{round_to_small_float(value, 8, 7)}; }

double load_as_double(const void* data, DType dtype, std::size_t i) {
  switch (dtype) {
    case DType::f32: {
      float v;
      std::memcpy(&v, static_cast<const char*>(data) + i * 4, 4);
      return v;
    }
    case DType::f16: {
      Half h;
      std::memcpy(&h.bits, static_cast<const char*>(data) + i * 2, 2);
      return half_to_float(h);
    }
    case DType::bf16: {
      BFloat16 b;
      std::memcpy(&b.bits, static_cast<const char*>(data) + i * 2, 2);
      return bfloat16_to_float(b);
    }
  }
  throw InputError("load_as_double: unknown dtype value " + std::to_string(static_cast<int>(dtype)));
}

void store_from_double(void* data, DType dtype, std::size_t i, double value) {
  char* out = static_cast<char*>(data);
  switch (dtype) {
    case DType::f32: {
      const auto v = static_cast<float>(value);
      std::memcpy(out + i * 4, &v, 4);
      return;
    }
    case DType::f16: {
      const Half h = double_to_half(value);
      std::memcpy(out + i * 2, &h.bits, 2);
      return;
    }
    case DType::bf16: {
      const BFloat16 b = double_to_bfloat16(value);
      std::memcpy(out + i * 2, &b.bits, 2);
      return;
    }
  }
  throw InputError("store_from_double: unknown dtype value " + std::to_string(static_cast<int>(dtype)));
}

}  // namespace lossbench
