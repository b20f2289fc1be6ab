#pragma once
// Element types of logits, targets and gradients, and exact conversions of the
// 16-bit floating-point formats without needing the CUDA toolkit's headers.
//
// float16 (IEEE binary16) and bfloat16 values are carried as their raw bits so
// that host code, .npy files and device buffers agree on the representation.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lossbench {

enum class DType { f32, f16, bf16 };

/// Bytes per element: 4 for f32, 2 for f16 and bf16.
std::size_t dtype_size(DType dtype);
/// "f32", "f16" or "bf16".
std::string_view to_string(DType dtype);
/// Parses "f32|float32|f16|float16|half|bf16|bfloat16"; throws InputError otherwise.
DType parse_dtype(std::string_view name);

/// Raw bits of an IEEE binary16 value.
struct Half {
  std::uint16_t bits;
};
/// Raw bits of a bfloat16 value (the upper half of a float32).
struct BFloat16 {
  std::uint16_t bits;
};

/// Exact: every binary16 value, subnormals, infinities and NaN included, is a float.
float half_to_float(Half h);
/// Round to nearest, ties to even, with overflow to infinity and gradual underflow.
Half double_to_half(double value);
/// Exact.
float bfloat16_to_float(BFloat16 b);
/// Round to nearest, ties to even, with overflow to infinity; NaN stays NaN.
BFloat16 double_to_bfloat16(double value);

/// Reads element i of a buffer of the given dtype, exactly, as a double.
double load_as_double(const void* data, DType dtype, std::size_t i);
/// Stores value into element i, rounding once (to nearest, ties to even) to
/// the dtype: directly from double, never through float, so no double rounding.
void store_from_double(void* data, DType dtype, std::size_t i, double value);

}  // namespace lossbench
