#include "lossbench/data/npy.hpp"

#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <variant>

#include "lossbench/core/error.hpp"

namespace lossbench::npy {
namespace {

constexpr unsigned char kMagic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr std::size_t kMagicSize = sizeof(kMagic);

[[noreturn]] void fail(std::string_view source, const std::string& problem) {
  throw InputError(std::string(source) + ": " + problem);
}

// The header is a Python dict literal whose values are strings, booleans or
// tuples of integers. This parser accepts exactly that grammar.
using HeaderValue = std::variant<std::string, bool, std::vector<std::int64_t>>;

class HeaderParser {
 public:
  HeaderParser(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  std::map<std::string, HeaderValue> parse_dict() {
    std::map<std::string, HeaderValue> dict;
    expect('{');
    while (!try_consume('}')) {
      std::string key = parse_string();
      expect(':');
      dict[key] = parse_value();
      if (!try_consume(',')) {
        expect('}');
        break;
      }
    }
    skip_space();
    if (pos_ != text_.size()) error("unexpected text after the header dict");
    return dict;
  }

 private:
  [[noreturn]] void error(const std::string& what) const {
    fail(source_, "malformed .npy header at offset " + std::to_string(pos_) + ": " + what +
                      " (header: " + std::string(text_) + ")");
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool try_consume(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!try_consume(c)) error(std::string("expected '") + c + "'");
  }
  bool try_consume_word(std::string_view word) {
    skip_space();
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  std::string parse_string() {
    skip_space();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) error("expected a quoted string");
    const char quote = text_[pos_++];
    const std::size_t end = text_.find(quote, pos_);
    if (end == std::string_view::npos) error("unterminated string");
    std::string s(text_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return s;
  }
  std::int64_t parse_integer() {
    skip_space();
    const std::size_t start = pos_;
    std::int64_t value = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      const int digit = text_[pos_++] - '0';
      if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10) error("dimension too large");
      value = value * 10 + digit;
    }
    if (pos_ == start) error("expected a non-negative integer dimension");
    try_consume_word("L");  // Python 2 long suffix, written by old NumPy versions.
    return value;
  }
  HeaderValue parse_value() {
    skip_space();
    if (pos_ < text_.size() && (text_[pos_] == '\'' || text_[pos_] == '"')) return parse_string();
    if (try_consume_word("True")) return true;
    if (try_consume_word("False")) return false;
    if (try_consume('(')) {
      std::vector<std::int64_t> dims;
      while (!try_consume(')')) {
        dims.push_back(parse_integer());
        if (!try_consume(',')) {
          expect(')');
          break;
        }
      }
      return dims;
    }
    error("expected a string, True, False or a tuple");
  }

  std::string_view text_;
  std::string_view source_;
  std::size_t pos_ = 0;
};

template <class T>
const T& require_key(const std::map<std::string, HeaderValue>& dict, const std::string& key,
                     std::string_view type_name, std::string_view source) {
  const auto it = dict.find(key);
  if (it == dict.end()) fail(source, "the .npy header has no '" + key + "' entry");
  const T* value = std::get_if<T>(&it->second);
  if (value == nullptr) fail(source, "the .npy header's '" + key + "' is not " + std::string(type_name));
  return *value;
}

DType dtype_from_descr(const std::string& descr, std::string_view source) {
  if (descr == "<f4") return DType::f32;
  if (descr == "<f2") return DType::f16;
  fail(source, "unsupported dtype '" + descr +
                   "': lossbench reads little-endian float32 ('<f4') or float16 ('<f2')");
}

std::string descr_from_dtype(DType dtype) {
  switch (dtype) {
    case DType::f32: return "<f4";
    case DType::f16: return "<f2";
    case DType::bf16: break;
  }
  throw InputError(".npy has no standard bfloat16 dtype: write float32 or float16 instead");
}

}  // namespace

std::int64_t Array::size() const {
  std::int64_t n = 1;
  for (const std::int64_t d : shape) n *= d;
  return n;
}

std::string shape_to_string(const std::vector<std::int64_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

Array parse(std::span<const unsigned char> contents, std::string_view source) {
  if (contents.size() < kMagicSize + 2 || std::memcmp(contents.data(), kMagic, kMagicSize) != 0) {
    fail(source, "not a .npy file (it does not start with the \\x93NUMPY magic string)");
  }
  const unsigned major = contents[kMagicSize];
  const unsigned minor = contents[kMagicSize + 1];
  // Version 1 stores the header length in 2 bytes, versions 2 and 3 in 4.
  const std::size_t length_bytes = major == 1 ? 2 : 4;
  if ((major != 1 && major != 2 && major != 3) || minor != 0) {
    fail(source, "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor) +
                     " (expected 1.0, 2.0 or 3.0)");
  }
  const std::size_t prefix = kMagicSize + 2 + length_bytes;
  if (contents.size() < prefix) fail(source, "truncated .npy file: it ends inside the header length");
  std::size_t header_length = 0;
  for (std::size_t i = 0; i < length_bytes; ++i) {
    header_length |= static_cast<std::size_t>(contents[kMagicSize + 2 + i]) << (8 * i);  // little-endian
  }
  if (contents.size() - prefix < header_length) {
    fail(source, "truncated .npy file: the header says it is " + std::to_string(header_length) +
                     " bytes long but only " + std::to_string(contents.size() - prefix) + " follow");
  }
  const std::string_view header(reinterpret_cast<const char*>(contents.data() + prefix), header_length);
  const auto dict = HeaderParser(header, source).parse_dict();

  Array array;
  array.dtype = dtype_from_descr(require_key<std::string>(dict, "descr", "a string", source), source);
  if (require_key<bool>(dict, "fortran_order", "True or False", source)) {
    fail(source, "Fortran-order arrays are not supported: save a C-order array (np.ascontiguousarray)");
  }
  array.shape = require_key<std::vector<std::int64_t>>(dict, "shape", "a tuple", source);

  const auto item_size = static_cast<std::int64_t>(dtype_size(array.dtype));
  std::int64_t elements = 1;
  for (const std::int64_t d : array.shape) {
    if (d != 0 && elements > std::numeric_limits<std::int64_t>::max() / item_size / d) {
      fail(source, "shape " + shape_to_string(array.shape) + " is too large");
    }
    elements *= d;
  }
  const auto expected = static_cast<std::size_t>(elements * item_size);
  const std::size_t available = contents.size() - prefix - header_length;
  if (available < expected) {
    fail(source, "truncated .npy file: shape " + shape_to_string(array.shape) + " of " +
                     std::string(to_string(array.dtype)) + " needs " + std::to_string(expected) +
                     " data bytes but the file has " + std::to_string(available));
  }
  if (available > expected) {
    fail(source, "the .npy file has " + std::to_string(available - expected) +
                     " bytes after the data that shape " + shape_to_string(array.shape) + " describes");
  }
  const auto data = contents.subspan(prefix + header_length);
  array.bytes.assign(data.begin(), data.end());
  return array;
}

Array read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path.string(), "cannot open the file for reading");
  std::vector<unsigned char> contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail(path.string(), "read error");
  return parse(contents, path.string());
}

std::vector<unsigned char> serialize(const Array& array) {
  std::string header = "{'descr': '" + descr_from_dtype(array.dtype) +
                       "', 'fortran_order': False, 'shape': " + shape_to_string(array.shape) + ", }";
  // Pad with spaces and end with a newline so that magic + version + length +
  // header is a multiple of 64 bytes, as NumPy itself does (aligned data).
  const std::size_t unpadded = kMagicSize + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  if (header.size() > 0xffff) throw InputError("shape " + shape_to_string(array.shape) + " makes too long a header");
  const auto expected = static_cast<std::size_t>(array.size()) * dtype_size(array.dtype);
  if (array.bytes.size() != expected) {
    throw InputError("npy::serialize: shape " + shape_to_string(array.shape) + " needs " +
                     std::to_string(expected) + " bytes but the array holds " + std::to_string(array.bytes.size()));
  }

  std::vector<unsigned char> out(std::begin(kMagic), std::end(kMagic));
  out.push_back(1);
  out.push_back(0);
  out.push_back(static_cast<unsigned char>(header.size() & 0xff));
  out.push_back(static_cast<unsigned char>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), array.bytes.begin(), array.bytes.end());
  return out;
}

void write(const std::filesystem::path& path, const Array& array) {
  const std::vector<unsigned char> contents = serialize(array);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) fail(path.string(), "cannot open the file for writing");
  out.write(reinterpret_cast<const char*>(contents.data()), static_cast<std::streamsize>(contents.size()));
  out.close();
  if (!out) fail(path.string(), "write error (disk full?)");
}

}  // namespace lossbench::npy
