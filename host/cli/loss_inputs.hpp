#pragma once
// The inputs of `lossbench loss`: from .npy arrays to the bytes every backend
// computes from, and the shape checks that name both files.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/core/dtype.hpp"
#include "lossbench/data/npy.hpp"

namespace lossbench::cli {

/// A .npy input and the path that names it in messages.
struct NamedArray {
  npy::Array array;
  std::string path;
};

/// Reads `path` (InputError naming it if it cannot).
NamedArray read_input(const std::string& path);

/// The computation's storage type: `dtype_option` when not empty, else the
/// logits file's, except that float64 logits compute in f32 (no kernel
/// stores float64).
DType compute_dtype(const std::string& dtype_option, const npy::Array& logits);

/// The file's values in `dtype`, every backend's (the reference's too) so
/// that all compute from the same numbers. A finite value that overflows
/// `dtype` is an error unless `validate` is false (then it becomes ±inf).
/// An integer file is an error naming it.
std::vector<unsigned char> converted(const NamedArray& input, DType dtype, bool validate);

/// Throws InputError unless `a` and `b` have the same shape, naming both by
/// role ("logits", "targets", ...) and path; `hint`, when not empty, ends the
/// message.
void require_same_shape(const NamedArray& a, std::string_view a_role, const NamedArray& b, std::string_view b_role,
                        std::string_view hint = {});

/// `bytes` copied into a new buffer on `backend`.
BackendBuffer uploaded(Backend backend, std::span<const unsigned char> bytes);

}  // namespace lossbench::cli
