#include "lossbench/data/idx.hpp"

#include <zlib.h>

#include <limits>
#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench::idx {
namespace {

[[noreturn]] void fail(std::string_view source, const std::string& problem) {
  throw InputError(std::string(source) + ": " + problem);
}

std::string hex_byte(unsigned value) {
  const char* digits = "0123456789abcdef";
  return std::string("0x") + digits[(value >> 4) & 15] + digits[value & 15];
}

}  // namespace

Array parse(std::span<const unsigned char> contents, std::string_view source) {
  if (contents.size() < 4) fail(source, "too short for an IDX header (" + std::to_string(contents.size()) + " bytes)");
  if (contents[0] != 0 || contents[1] != 0) {
    fail(source, "bad IDX magic: the first two bytes are " + hex_byte(contents[0]) + " " + hex_byte(contents[1]) +
                     ", not 0x00 0x00");
  }
  if (contents[2] != 0x08) {
    fail(source, "unsupported IDX element type " + hex_byte(contents[2]) +
                     ": lossbench reads unsigned-byte files (0x08), as MNIST's images and labels are");
  }
  const unsigned rank = contents[3];
  if (rank < 1 || rank > 4) fail(source, "IDX files here have 1 to 4 dimensions, this one says " + std::to_string(rank));
  const std::size_t header = 4 + 4 * std::size_t{rank};
  if (contents.size() < header) {
    fail(source, "truncated IDX header: " + std::to_string(rank) + " dimensions need " + std::to_string(header) +
                     " bytes, the file has " + std::to_string(contents.size()));
  }
  Array array;
  std::uint64_t elements = 1;
  for (unsigned d = 0; d < rank; ++d) {
    const unsigned char* p = contents.data() + 4 + 4 * d;
    const std::uint32_t size = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                               (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};  // big-endian
    array.dims.push_back(size);
    elements *= size;
    if (elements > (std::uint64_t{1} << 40)) fail(source, "IDX dimensions describe more than 2^40 elements");
  }
  const std::size_t available = contents.size() - header;
  if (available < elements) {
    fail(source, "truncated IDX data: the dimensions need " + std::to_string(elements) + " bytes, the file has " +
                     std::to_string(available));
  }
  if (available > elements) {
    fail(source, std::to_string(available - elements) + " bytes after the " + std::to_string(elements) +
                     " the IDX dimensions describe");
  }
  array.data.assign(contents.begin() + static_cast<std::ptrdiff_t>(header), contents.end());
  return array;
}

Array read(const std::filesystem::path& path) {
  const std::string name = path.string();
  gzFile file = gzopen(name.c_str(), "rb");  // also reads files that are not compressed
  if (file == nullptr) fail(name, "cannot open the file for reading");
  std::vector<unsigned char> contents;
  unsigned char buffer[1 << 16];
  for (;;) {
    const int got = gzread(file, buffer, sizeof buffer);
    if (got < 0) {
      int code = 0;
      const std::string message = gzerror(file, &code);
      gzclose(file);
      fail(name, "cannot decompress: " + message);
    }
    if (got == 0) break;
    contents.insert(contents.end(), buffer, buffer + got);
  }
  // A gzip stream cut short reads as a clean end of file but reports Z_BUF_ERROR.
  int code = Z_OK;
  const std::string message = gzerror(file, &code);
  gzclose(file);
  if (code != Z_OK && code != Z_STREAM_END) fail(name, "corrupt or truncated gzip data: " + message);
  return parse(contents, name);
}

LabelledImages read_labelled_images(const std::filesystem::path& images_path,
                                    const std::filesystem::path& labels_path, unsigned classes) {
  Array images = read(images_path);
  Array labels = read(labels_path);
  if (images.dims.size() != 3) {
    fail(images_path.string(), "an image file has 3 dimensions (count, rows, columns), this one has " +
                                   std::to_string(images.dims.size()));
  }
  if (labels.dims.size() != 1) {
    fail(labels_path.string(), "a label file has 1 dimension, this one has " + std::to_string(labels.dims.size()));
  }
  if (images.dims[0] != labels.dims[0]) {
    fail(labels_path.string(), "holds " + std::to_string(labels.dims[0]) + " labels but " + images_path.string() +
                                   " holds " + std::to_string(images.dims[0]) + " images");
  }
  for (std::size_t i = 0; i < labels.data.size(); ++i) {
    if (labels.data[i] >= classes) {
      fail(labels_path.string(), "label " + std::to_string(labels.data[i]) + " at index " + std::to_string(i) +
                                     " is outside 0.." + std::to_string(classes - 1));
    }
  }
  LabelledImages result;
  result.rows = images.dims[1];
  result.cols = images.dims[2];
  result.pixels = std::move(images.data);
  result.labels = std::move(labels.data);
  return result;
}

}  // namespace lossbench::idx
