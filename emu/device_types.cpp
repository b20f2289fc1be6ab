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

namespace {

struct ErrorText {
  cudaError_t code;
  const char* name;
  const char* text;  // CUDA's own wording
};

constexpr ErrorText kErrors[] = {
    {cudaSuccess, "cudaSuccess", "no error"},
    {cudaErrorInvalidValue, "cudaErrorInvalidValue", "invalid argument"},
    {cudaErrorInvalidResourceHandle, "cudaErrorInvalidResourceHandle", "invalid resource handle"},
    {cudaErrorIllegalState, "cudaErrorIllegalState", "the operation cannot be performed in the present state"},
    {cudaErrorStreamCaptureUnsupported, "cudaErrorStreamCaptureUnsupported",
     "operation not permitted when stream is capturing"},
    {cudaErrorStreamCaptureUnmatched, "cudaErrorStreamCaptureUnmatched",
     "capture was not initiated in this stream"},
};

const ErrorText* find_error(cudaError_t error) {
  for (const ErrorText& e : kErrors) {
    if (e.code == error) return &e;
  }
  return nullptr;
}

}  // namespace

const char* cudaGetErrorName(cudaError_t error) {
  const ErrorText* e = find_error(error);
  return e != nullptr ? e->name : "cudaErrorUnknown";
}

const char* cudaGetErrorString(cudaError_t error) {
  const ErrorText* e = find_error(error);
  return e != nullptr ? e->text : "unknown error";
}
