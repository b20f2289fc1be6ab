#include "lossbench/core/broadcast.hpp"
#include "lossbench/data/npy.hpp"

#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <variant>

#include "lossbench/core/error.hpp"
#include "lossbench/data/atomic_file.hpp"

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

// Element bytes in a file are either order; in memory, in the host's, which
// the rest of lossbench (memcpy of floats, the device buffers) takes to be
// little-endian.
static_assert(std::endian::native == std::endian::little, "lossbench assumes a little-endian host");

struct Descr {
  ElementType type;
  ByteOrder byte_order;
};

Descr parse_descr(const std::string& descr, std::string_view source) {
  // NumPy writes '<' or '>' for these types ('=' and '|' only in memory or for single bytes).
  if (descr.size() == 3 && (descr[0] == '<' || descr[0] == '>') && descr[1] == 'f') {
    const ByteOrder order = descr[0] == '<' ? ByteOrder::little : ByteOrder::big;
    if (descr[2] == '2') return {ElementType::f16, order};
    if (descr[2] == '4') return {ElementType::f32, order};
    if (descr[2] == '8') return {ElementType::f64, order};
  }
  if (descr.size() == 3 && (descr[0] == '<' || descr[0] == '>') && descr[1] == 'i' &&
      (descr[2] == '4' || descr[2] == '8')) {
    // Class indices go to the backends as the file stores them, so they
    // must already be in the host's (little-endian) order.
    if (descr[0] == '>') {
      fail(source, "unsupported dtype '" + descr + "': lossbench reads integers little-endian only ('<i4', '<i8'); "
                   "save them with array.astype('<i" + descr[2] + "')");
    }
    return {descr[2] == '4' ? ElementType::i32 : ElementType::i64, ByteOrder::little};
  }
  fail(source, "unsupported dtype '" + descr +
                   "': lossbench reads float16, float32 or float64 ('<f2', '<f4', '<f8', or big-endian '>f2', "
                   "'>f4', '>f8') and int32 or int64 class indices ('<i4', '<i8')");
}

// Element i's bytes in the host's (little-endian) order.
template <std::size_t Size>
void load_element(const Array& array, std::size_t i, unsigned char (&out)[Size]) {
  const unsigned char* in = array.bytes.data() + i * Size;
  for (std::size_t b = 0; b < Size; ++b) out[b] = array.byte_order == ByteOrder::little ? in[b] : in[Size - 1 - b];
}

}  // namespace

std::size_t element_size(ElementType type) {
  switch (type) {
    case ElementType::f16: return 2;
    case ElementType::f32: return 4;
    case ElementType::f64: return 8;
    case ElementType::i32: return 4;
    case ElementType::i64: return 8;
  }
  throw InputError("element_size: unknown type value " + std::to_string(static_cast<int>(type)));
}

bool is_integer(ElementType type) { return type == ElementType::i32 || type == ElementType::i64; }

std::string_view to_string(ElementType type) {
  switch (type) {
    case ElementType::f16: return "f16";
    case ElementType::f32: return "f32";
    case ElementType::f64: return "f64";
    case ElementType::i32: return "i32";
    case ElementType::i64: return "i64";
  }
  return "unknown";
}

ElementType float_type_of(DType dtype) {
  switch (dtype) {
    case DType::f32: return ElementType::f32;
    case DType::f16: return ElementType::f16;
    case DType::bf16: break;
  }
  throw InputError(".npy has no standard bfloat16 dtype: write float32 or float16 instead");
}

std::string Array::descr() const {
  return std::string(byte_order == ByteOrder::little ? "<" : ">") + (is_integer(type) ? "i" : "f") +
         std::to_string(element_size(type));
}

std::int64_t Array::size() const {
  std::int64_t n = 1;
  for (const std::int64_t d : shape) n *= d;
  return n;
}

std::string shape_to_string(const std::vector<std::int64_t>& shape) { return shape_string(shape); }

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
  const Descr descr = parse_descr(require_key<std::string>(dict, "descr", "a string", source), source);
  array.type = descr.type;
  array.byte_order = descr.byte_order;
  if (require_key<bool>(dict, "fortran_order", "True or False", source)) {
    fail(source, "Fortran-order arrays are not supported: save a C-order array (np.ascontiguousarray)");
  }
  array.shape = require_key<std::vector<std::int64_t>>(dict, "shape", "a tuple", source);

  const auto item_size = static_cast<std::int64_t>(element_size(array.type));
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
                     std::string(to_string(array.type)) + " needs " + std::to_string(expected) +
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

double load_as_double(const Array& array, std::size_t i) {
  switch (array.type) {
    case ElementType::f16: {
      unsigned char b[2];
      load_element(array, i, b);
      return half_to_float(Half{static_cast<std::uint16_t>(b[0] | b[1] << 8)});
    }
    case ElementType::f32: {
      unsigned char b[4];
      load_element(array, i, b);
      return std::bit_cast<float>(b);
    }
    case ElementType::f64: {
      unsigned char b[8];
      load_element(array, i, b);
      return std::bit_cast<double>(b);
    }
    case ElementType::i32:
    case ElementType::i64: break;
  }
  throw InputError("npy::load_as_double: the array holds " + std::string(to_string(array.type)) +
                   " values, not floats (see load_as_int64)");
}

std::int64_t load_as_int64(const Array& array, std::size_t i) {
  switch (array.type) {
    case ElementType::i32: {
      unsigned char b[4];
      load_element(array, i, b);
      return std::bit_cast<std::int32_t>(b);
    }
    case ElementType::i64: {
      unsigned char b[8];
      load_element(array, i, b);
      return std::bit_cast<std::int64_t>(b);
    }
    case ElementType::f16:
    case ElementType::f32:
    case ElementType::f64: break;
  }
  throw InputError("npy::load_as_int64: the array holds " + std::string(to_string(array.type)) +
                   " values, not integers (see load_as_double)");
}

std::vector<unsigned char> to_dtype(const Array& array, DType dtype, std::string_view source, Overflow overflow) {
  if (is_integer(array.type)) {
    fail(source, "holds " + std::string(to_string(array.type)) +
                     " integers where floats are expected (float16, float32 or float64)");
  }
  const auto n = static_cast<std::size_t>(array.size());
  const bool same_type = (array.type == ElementType::f32 && dtype == DType::f32) ||
                         (array.type == ElementType::f16 && dtype == DType::f16);
  if (same_type && array.byte_order == ByteOrder::little) return array.bytes;
  std::vector<unsigned char> out(n * dtype_size(dtype));
  if (same_type) {  // big-endian: the same bits, each element's bytes reversed
    const std::size_t size = dtype_size(dtype);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t b = 0; b < size; ++b) out[i * size + b] = array.bytes[i * size + size - 1 - b];
    }
    return out;
  }
  for (std::size_t i = 0; i < n; ++i) {
    // Exact to double, then one rounding to the target (store_from_double
    // rounds from double directly, so f64 -> f16 does not round twice).
    const double value = load_as_double(array, i);
    store_from_double(out.data(), dtype, i, value);
    const bool overflowed = std::isfinite(value) && !std::isfinite(lossbench::load_as_double(out.data(), dtype, i));
    if (overflowed && overflow == Overflow::reject) {
      char text[32];  // the shortest text that reads back as the same double
      const auto end = std::to_chars(text, text + sizeof text, value).ptr;
      fail(source, "element " + std::to_string(i) + " = " + std::string(text, end) + " does not fit in " +
                       std::string(to_string(dtype)) + ": it would round to " + (value < 0 ? "-inf" : "inf"));
    }
  }
  return out;
}

Array from_dtype(std::vector<unsigned char> bytes, DType dtype, std::vector<std::int64_t> shape) {
  Array array;
  array.shape = std::move(shape);
  if (dtype == DType::bf16) {
    const std::size_t n = bytes.size() / dtype_size(DType::bf16);
    array.type = ElementType::f32;
    array.bytes.resize(n * 4);
    for (std::size_t i = 0; i < n; ++i) {
      store_from_double(array.bytes.data(), DType::f32, i, lossbench::load_as_double(bytes.data(), DType::bf16, i));
    }
    return array;
  }
  array.type = float_type_of(dtype);
  array.bytes = std::move(bytes);
  return array;
}

std::vector<unsigned char> serialize(const Array& array) {
  std::string header = "{'descr': '" + array.descr() +
                       "', 'fortran_order': False, 'shape': " + shape_to_string(array.shape) + ", }";
  // Pad with spaces and end with a newline so that magic + version + length +
  // header is a multiple of 64 bytes, as NumPy itself does (aligned data).
  const std::size_t unpadded = kMagicSize + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  if (header.size() > 0xffff) throw InputError("shape " + shape_to_string(array.shape) + " makes too long a header");
  const auto expected = static_cast<std::size_t>(array.size()) * element_size(array.type);
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

void write(const std::filesystem::path& path, const Array& array) { write_file_atomically(path, serialize(array)); }

}  // namespace lossbench::npy
