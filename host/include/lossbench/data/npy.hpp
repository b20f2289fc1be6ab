#pragma once
// Reading and writing NumPy .npy files (format versions 1.0, 2.0 and 3.0) of
// float16, float32 and float64 arrays ('f2', 'f4', 'f8'), little- or
// big-endian, and of int32 and int64 arrays ('<i4', '<i8': class indices),
// little-endian, in C order; and converting float arrays to a computation's
// DType.
//
// Written here rather than taken from a library because it is ~300 lines and
// the point is its error messages: every malformed, unsupported or truncated
// file is rejected with an InputError that names the file and the problem.
// Specification: numpy.lib.format (magic "\x93NUMPY", a version, a header
// length, then a Python dict literal with 'descr', 'fortran_order', 'shape').
//
// parse() keeps the file's bytes as they are and says what they hold (type
// and byte order); to_dtype() is the one place that swaps and rounds them.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lossbench/core/dtype.hpp"

namespace lossbench::npy {

/// The element types a .npy file may hold here: IEEE binary16, binary32 and
/// binary64, NumPy's 'f2', 'f4' and 'f8' (float16, float32, float64); and
/// two's-complement int32 and int64, 'i4' and 'i8', which lossbench takes
/// as class indices only (never converted to a float DType).
enum class ElementType { f16, f32, f64, i32, i64 };
/// How a file stores each element's bytes: '<' little-endian, '>' big-endian.
enum class ByteOrder { little, big };

/// Bytes per element: 2, 4 or 8.
std::size_t element_size(ElementType type);
/// i32 or i64.
bool is_integer(ElementType type);
/// "f16", "f32", "f64" (the names DType uses), "i32" or "i64".
std::string_view to_string(ElementType type);
/// The file type that holds `dtype` exactly. Throws InputError for bf16:
/// .npy has no standard bfloat16 type.
ElementType float_type_of(DType dtype);

/// A whole .npy array in memory: what its elements are, its shape, and the
/// element bytes exactly as the file stores them (in `byte_order`).
struct Array {
  ElementType type = ElementType::f32;
  ByteOrder byte_order = ByteOrder::little;
  std::vector<std::int64_t> shape;
  std::vector<unsigned char> bytes;

  /// Number of elements: the product of the shape (1 for a 0-d array).
  std::int64_t size() const;
  /// The header's 'descr': "<f4", ">f8", "<i8", ...
  std::string descr() const;
};

/// Parses the contents of a .npy file; `source` names it in error messages.
/// Throws InputError on a bad magic string or version, a malformed header, a
/// dtype other than '<f2', '<f4', '<f8', '>f2', '>f4', '>f8', '<i4' or '<i8'
/// (big-endian integers are refused by name), Fortran order, or a data
/// section that is shorter or longer than the shape says.
Array parse(std::span<const unsigned char> contents, std::string_view source);

/// Reads and parses a file; throws InputError if it cannot be opened or read.
Array read(const std::filesystem::path& path);

/// Element i of a float array as a double, exactly (every f2, f4 and f8
/// value is a double). Throws InputError for an integer array, whose int64
/// values a double may not hold: see load_as_int64().
double load_as_double(const Array& array, std::size_t i);

/// Element i of an integer array (i32 or i64) as an int64, exactly. Throws
/// InputError for a float array.
std::int64_t load_as_int64(const Array& array, std::size_t i);

/// What to do with a finite value too large for the target type, one that
/// rounds to infinity.
enum class Overflow {
  reject,       // throw InputError naming the source and the element's index
  to_infinity,  // round as IEEE arithmetic does: to ±inf
};

/// The array's elements as `dtype` (array.size() · dtype_size(dtype) bytes in
/// the host's little-endian order), byte-swapped if the file is big-endian:
/// bit for bit when `dtype` is the file's type, exact when it holds every
/// value (f16 -> f32), otherwise rounded once to nearest, ties to even,
/// straight from the file's value (f64 -> f16 never goes through f32).
/// NaN and ±inf stay NaN and ±inf; values too small for `dtype` round to
/// subnormals or zero. A finite value that rounds to ±inf is handled as
/// `overflow` says; `source` names the array in the error. An integer array
/// is an InputError: it holds class indices, not values to compute with.
std::vector<unsigned char> to_dtype(const Array& array, DType dtype, std::string_view source,
                                    Overflow overflow = Overflow::reject);

/// An array holding `bytes` of `dtype` in the host's byte order, ready to
/// serialise. bfloat16, which .npy lacks, becomes float32 (exactly).
Array from_dtype(std::vector<unsigned char> bytes, DType dtype, std::vector<std::int64_t> shape);

/// Serialises an array as a version 1.0 .npy file (header padded to 64 bytes).
std::vector<unsigned char> serialize(const Array& array);

/// Serialises and writes through AtomicFile: the file at `path` is replaced
/// whole or, on failure, not at all. Throws InputError (with the path and the
/// system's reason) if it cannot be written.
void write(const std::filesystem::path& path, const Array& array);

/// "(3,)", "(2, 4)", "()" : the shape as NumPy prints it.
std::string shape_to_string(const std::vector<std::int64_t>& shape);

}  // namespace lossbench::npy
