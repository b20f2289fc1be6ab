#include "loss_inputs.hpp"

#include "lossbench/core/error.hpp"

namespace lossbench::cli {

NamedArray read_input(const std::string& path) { return {npy::read(path), path}; }

DType compute_dtype(const std::string& dtype_option, const npy::Array& logits) {
  if (!dtype_option.empty()) return parse_dtype(dtype_option);
  return logits.type == npy::ElementType::f16 ? DType::f16 : DType::f32;
}

std::vector<unsigned char> converted(const NamedArray& input, DType dtype, bool validate) {
  if (!validate) return npy::to_dtype(input.array, dtype, input.path, npy::Overflow::to_infinity);
  try {
    return npy::to_dtype(input.array, dtype, input.path, npy::Overflow::reject);
  } catch (const InputError& e) {
    // Only an overflow is worth the hint; an integer file stays an error either way.
    if (npy::is_integer(input.array.type)) throw;
    throw InputError(std::string(e.what()) + " (--no-validate converts it to inf)");
  }
}

void require_same_shape(const NamedArray& a, std::string_view a_role, const NamedArray& b, std::string_view b_role,
                        std::string_view hint) {
  if (a.array.shape == b.array.shape) return;
  std::string message = std::string(a_role) + " " + a.path + " have shape " + npy::shape_to_string(a.array.shape) +
                        " but " + std::string(b_role) + " " + b.path + " have shape " +
                        npy::shape_to_string(b.array.shape) + ": the shapes must match";
  if (!hint.empty()) message += " (" + std::string(hint) + ")";
  throw InputError(message);
}

BackendBuffer uploaded(Backend backend, std::span<const unsigned char> bytes) {
  BackendBuffer buffer(backend, bytes.size());
  buffer.upload(bytes.data(), bytes.size());
  return buffer;
}

}  // namespace lossbench::cli
