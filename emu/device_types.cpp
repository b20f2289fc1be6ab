#include "emu/device_types.hpp"

#include "lossbench/core/dtype.hpp"

namespace lossbench::emu {

// One exact implementation of the 16-bit formats, shared with the host side
// (lossbench/dtype.hpp): rounding from float through double is exact, since
// every float is a double, so this is a single rounding to nearest even.
float half_bits_to_float(std::uint16_t bits) { return half_to_float(Half{bits}); }
std::uint16_t float_to_half_bits_rn(float value) { return double_to_half(value).bits; }
float bfloat16_bits_to_float(std::uint16_t bits) { return bfloat16_to_float(BFloat16{bits}); }
std::uint16_t float_to_bfloat16_bits_rn(float value) { return double_to_bfloat16(value).bits; }

}  // namespace lossbench::emu
