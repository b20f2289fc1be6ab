#pragma once
// Reading IDX files, the format of MNIST and Fashion-MNIST: a magic number
// (two zero bytes, an element type, the number of dimensions), the
// dimensions as big-endian 32-bit integers, then the elements. Files may be
// gzip-compressed (as Debian's dataset-fashion-mnist ships them); zlib reads
// both forms. Only unsigned-byte elements (type 0x08) are taken, which is
// what image and label files use; anything malformed is an InputError that
// names the file and the problem, never a crash.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

namespace lossbench::idx {

struct Array {
  std::vector<std::uint32_t> dims;
  std::vector<std::uint8_t> data;  // row-major, dims[0] outermost
};

/// Parses the (decompressed) contents of an IDX file; `source` names it in errors.
Array parse(std::span<const unsigned char> contents, std::string_view source);

/// Reads a file, gzip-compressed or not.
Array read(const std::filesystem::path& path);

/// Images (n × rows × cols, 0..255) with their labels (n, each < classes).
struct LabelledImages {
  std::uint32_t rows = 0;
  std::uint32_t cols = 0;
  std::vector<std::uint8_t> pixels;
  std::vector<std::uint8_t> labels;
  std::size_t count() const { return labels.size(); }
};

/// Reads an image file and a label file and checks that they agree: three
/// dimensions for images, one for labels, the same count, every label < classes.
LabelledImages read_labelled_images(const std::filesystem::path& images, const std::filesystem::path& labels,
                                    unsigned classes);

}  // namespace lossbench::idx
