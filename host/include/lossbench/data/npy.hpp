#pragma once
// Reading and writing NumPy .npy files (format versions 1.0, 2.0 and 3.0) of
// little-endian float32 ('<f4') and float16 ('<f2') arrays in C order.
//
// Written here rather than taken from a library because it is ~200 lines and
// the point is its error messages: every malformed, unsupported or truncated
// file is rejected with an InputError that names the file and the problem.
// Specification: numpy.lib.format (magic "\x93NUMPY", a version, a header
// length, then a Python dict literal with 'descr', 'fortran_order', 'shape').
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lossbench/core/array_view.hpp"

namespace lossbench::npy {

/// A whole .npy array in memory: its element type, shape and raw element bytes.
struct Array {
  DType dtype = DType::f32;
  std::vector<std::int64_t> shape;
  std::vector<unsigned char> bytes;

  /// Number of elements: the product of the shape (1 for a 0-d array).
  std::int64_t size() const;
  ConstArrayView view() const { return {bytes.data(), dtype, size()}; }
  ArrayView view() { return {bytes.data(), dtype, size()}; }
};

/// Parses the contents of a .npy file; `source` names it in error messages.
/// Throws InputError on a bad magic string or version, a malformed header, a
/// dtype other than '<f4' or '<f2', Fortran order, or a data section that is
/// shorter or longer than the shape says.
Array parse(std::span<const unsigned char> contents, std::string_view source);

/// Reads and parses a file; throws InputError if it cannot be opened or read.
Array read(const std::filesystem::path& path);

/// Serialises an array as a version 1.0 .npy file (header padded to 64 bytes).
/// Only f32 and f16 can be written: .npy has no standard bfloat16 type.
std::vector<unsigned char> serialize(const Array& array);

/// Serialises and writes; throws InputError if the file cannot be written.
void write(const std::filesystem::path& path, const Array& array);

/// "(3,)", "(2, 4)", "()" : the shape as NumPy prints it.
std::string shape_to_string(const std::vector<std::int64_t>& shape);

}  // namespace lossbench::npy
