// .npy parsing and writing: round trips, files as NumPy writes them (float16,
// float32, float64, either byte order; int32 and int64 class indices,
// little-endian), a clear InputError for every
// malformed, unsupported or truncated file; and the conversion to a
// computation's dtype: byte swaps, one rounding to nearest even, overflow.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "lossbench/core/error.hpp"
#include "lossbench/data/npy.hpp"

namespace lossbench {
namespace {

std::vector<unsigned char> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

// A version 1.0 file with the given header dict text and data bytes.
std::vector<unsigned char> npy_file(const std::string& dict, const std::vector<unsigned char>& data,
                                    unsigned major = 1) {
  std::vector<unsigned char> out = bytes_of(std::string("\x93NUMPY", 6));
  out.push_back(static_cast<unsigned char>(major));
  out.push_back(0);
  const std::string header = dict + "\n";
  const std::size_t length_bytes = major == 1 ? 2 : 4;
  for (std::size_t i = 0; i < length_bytes; ++i) out.push_back(static_cast<unsigned char>(header.size() >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::vector<unsigned char> floats(std::initializer_list<float> values) {
  std::vector<unsigned char> out(values.size() * 4);
  std::memcpy(out.data(), values.begin(), out.size());
  return out;
}

// Expects parse() to throw an InputError whose message names the source and contains `needle`.
void expect_rejected(const std::vector<unsigned char>& contents, const std::string& needle) {
  try {
    npy::parse(contents, "input.npy");
    ADD_FAILURE() << "accepted a file that should fail with '" << needle << "'";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("input.npy"), std::string::npos) << message;
    EXPECT_NE(message.find(needle), std::string::npos) << "message: " << message << "\nexpected: " << needle;
  }
}

TEST(HostNpy, ParsesTheHeaderNumPyWrites) {
  const auto file = npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }     ", floats({1, -2, 0.5f}));
  const npy::Array a = npy::parse(file, "input.npy");
  EXPECT_EQ(a.type, npy::ElementType::f32);
  EXPECT_EQ(a.byte_order, npy::ByteOrder::little);
  EXPECT_EQ(a.shape, std::vector<std::int64_t>{3});
  ASSERT_EQ(a.size(), 3);
  EXPECT_EQ(npy::load_as_double(a, 2), 0.5);
}

TEST(HostNpy, ParsesVersionsTwoAndThreeKeyOrderAndMultiDimShapes) {
  for (const unsigned major : {2u, 3u}) {
    const auto file = npy_file("{\"shape\": (2, 2), \"fortran_order\": False, \"descr\": \"<f4\"}",
                               floats({1, 2, 3, 4}), major);
    const npy::Array a = npy::parse(file, "input.npy");
    EXPECT_EQ(a.shape, (std::vector<std::int64_t>{2, 2})) << "version " << major;
    EXPECT_EQ(a.size(), 4);
  }
}

TEST(HostNpy, ZeroDimensionalAndEmptyArrays) {
  EXPECT_EQ(npy::parse(npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': ()}", floats({7})), "x").size(), 1);
  EXPECT_EQ(npy::parse(npy_file("{'descr': '<f2', 'fortran_order': False, 'shape': (0,)}", {}), "x").size(), 0);
}

TEST(HostNpy, RoundTripsThroughSerializeWithAlignedHeader) {
  std::vector<unsigned char> halves(12);
  for (std::size_t i = 0; i < 6; ++i) store_from_double(halves.data(), DType::f16, i, 0.25 * static_cast<double>(i));
  const npy::Array a = npy::from_dtype(halves, DType::f16, {2, 3});
  const std::vector<unsigned char> file = npy::serialize(a);
  // The data starts on a 64-byte boundary, as NumPy's own writer guarantees.
  EXPECT_EQ((file.size() - a.bytes.size()) % 64, 0u);
  const npy::Array b = npy::parse(file, "round-trip");
  EXPECT_EQ(b.type, a.type);
  EXPECT_EQ(b.shape, a.shape);
  EXPECT_EQ(b.bytes, a.bytes);
}

TEST(HostNpy, RejectsBadMagicAndVersion) {
  expect_rejected(bytes_of("PK\x03\x04 not numpy"), "not a .npy file");
  expect_rejected({}, "not a .npy file");
  auto file = npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", floats({1}));
  file[6] = 4;
  expect_rejected(file, "unsupported .npy format version 4.0");
}

TEST(HostNpy, RejectsDtypesItDoesNotTake) {
  // '<f16' is NumPy's 16-byte long double, not float16; '=' appears only in memory.
  // Integers other than little-endian int32 and int64 are refused too ('<u4' unsigned, '|i1' one byte).
  for (const std::string descr : {"<i2", "<u4", "<u8", "|i1", "=i8", "i4", "|b1", "<c8", "<f16", "=f4", "|f4", "<V8",
                                  "f4"}) {
    expect_rejected(npy_file("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (1,)}", floats({1})),
                    "unsupported dtype '" + descr + "'");
  }
}

TEST(HostNpy, RejectsFortranOrderAndMalformedHeaders) {
  expect_rejected(npy_file("{'descr': '<f4', 'fortran_order': True, 'shape': (1,)}", floats({1})), "Fortran-order");
  expect_rejected(npy_file("{'descr': '<f4', 'shape': (1,)}", floats({1})), "no 'fortran_order' entry");
  expect_rejected(npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", floats({1})),
                  "non-negative integer");
  expect_rejected(npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)", floats({1})), "malformed");
  expect_rejected(npy_file("{'descr': 4, 'fortran_order': False, 'shape': (1,)}", floats({1})), "malformed");
  expect_rejected(npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': '1'}", floats({1})),
                  "'shape' is not a tuple");
}

TEST(HostNpy, RejectsTruncatedAndOverlongFiles) {
  const auto whole = npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (3,)}", floats({1, 2, 3}));
  expect_rejected({whole.begin(), whole.end() - 1}, "truncated .npy file: shape (3,) of f32 needs 12 data bytes");
  expect_rejected({whole.begin(), whole.begin() + 9}, "truncated .npy file: it ends inside the header length");
  expect_rejected({whole.begin(), whole.begin() + 30}, "truncated .npy file: the header says");
  auto longer = whole;
  longer.push_back(0);
  expect_rejected(longer, "1 bytes after the data");
  expect_rejected(npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", {}),
                  "too large");
}

TEST(HostNpy, ReadNamesAMissingFile) {
  try {
    npy::read("/nonexistent/dir/z.npy");
    ADD_FAILURE() << "read a missing file";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/z.npy: cannot open"), std::string::npos) << e.what();
  }
}

TEST(HostNpy, BFloat16IsWrittenAsFloat32) {
  EXPECT_THROW(npy::float_type_of(DType::bf16), InputError);
  std::vector<unsigned char> b(4);
  store_from_double(b.data(), DType::bf16, 0, 1.5);
  store_from_double(b.data(), DType::bf16, 1, -0x1p100);
  const npy::Array a = npy::from_dtype(b, DType::bf16, {2});
  EXPECT_EQ(a.type, npy::ElementType::f32);
  EXPECT_EQ(npy::load_as_double(a, 0), 1.5);
  EXPECT_EQ(npy::load_as_double(a, 1), -0x1p100);
}

// ---- Float64 and big-endian files, as NumPy writes them --------------------
// No NumPy here to write them, so the bytes are built as np.save() (NumPy
// 1.23 and later, numpy/lib/format.py) builds them: magic, version 1.0, the
// header length (little-endian, whatever the data's order), the sorted dict,
// spaces for the first dimension to grow to 21 digits, spaces to end with
// '\n' at a multiple of 64 bytes, then the elements in the file's byte order.

// The file np.save() writes for a 1-d array of n elements of `descr`.
std::vector<unsigned char> numpy_saved(const std::string& descr, int n, const std::vector<unsigned char>& data) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + std::to_string(n) + ",), }";
  dict.append(21 - std::to_string(n).size(), ' ');                // GROWTH_AXIS_MAX_DIGITS
  dict.append(64 - (10 + dict.size() + 1) % 64, ' ');             // ARRAY_ALIGN, as _wrap_header pads
  std::vector<unsigned char> out = bytes_of(std::string("\x93NUMPY\x01\x00", 8));
  out.push_back(static_cast<unsigned char>(dict.size() + 1));
  out.push_back(0);
  out.insert(out.end(), dict.begin(), dict.end());
  out.push_back('\n');
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// Each value's bytes in little- or big-endian order.
template <class T>
std::vector<unsigned char> encoded(std::initializer_list<T> values, bool big_endian) {
  std::vector<unsigned char> out;
  for (const T v : values) {
    std::array<unsigned char, sizeof(T)> b = std::bit_cast<std::array<unsigned char, sizeof(T)>>(v);
    if (big_endian) std::reverse(b.begin(), b.end());
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

std::vector<unsigned char> f64(std::initializer_list<double> values, bool big_endian = false) {
  return encoded(values, big_endian);
}

std::uint32_t f32_bits(const std::vector<unsigned char>& bytes, std::size_t i) {
  std::uint32_t bits;
  std::memcpy(&bits, bytes.data() + 4 * i, 4);
  return bits;
}

TEST(HostNpy, ParsesFloat64AndBigEndianFilesAsNumPyWritesThem) {
  // np.save('z.npy', np.array([1.0, -2.5, 0.1])): the default float64.
  const auto le8 = numpy_saved("<f8", 3, f64({1.0, -2.5, 0.1}));
  ASSERT_EQ(le8.size(), 128u + 24u);  // NumPy's header for this array is 128 bytes
  const npy::Array a = npy::parse(le8, "z.npy");
  EXPECT_EQ(a.type, npy::ElementType::f64);
  EXPECT_EQ(a.byte_order, npy::ByteOrder::little);
  EXPECT_EQ(a.descr(), "<f8");
  EXPECT_EQ(npy::load_as_double(a, 2), 0.1);

  // np.array([1.0, -2.5, 0.1], dtype='>f8'), '>f4' and '>f2': big-endian bytes, kept as the file has them.
  const npy::Array b8 = npy::parse(numpy_saved(">f8", 3, f64({1.0, -2.5, 0.1}, true)), "b8.npy");
  EXPECT_EQ(b8.byte_order, npy::ByteOrder::big);
  EXPECT_EQ(b8.bytes[0], 0x3f);  // 1.0 = 0x3ff0000000000000, most significant byte first
  EXPECT_EQ(b8.bytes[1], 0xf0);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(npy::load_as_double(b8, i), npy::load_as_double(a, i));

  const npy::Array b4 = npy::parse(numpy_saved(">f4", 2, {0x3f, 0x80, 0x00, 0x00, 0xc0, 0x20, 0x00, 0x00}), "b4.npy");
  EXPECT_EQ(b4.type, npy::ElementType::f32);
  EXPECT_EQ(b4.descr(), ">f4");
  EXPECT_EQ(npy::load_as_double(b4, 0), 1.0);
  EXPECT_EQ(npy::load_as_double(b4, 1), -2.5);

  const npy::Array b2 = npy::parse(numpy_saved(">f2", 2, {0x3c, 0x00, 0xc1, 0x00}), "b2.npy");
  EXPECT_EQ(b2.type, npy::ElementType::f16);
  EXPECT_EQ(npy::load_as_double(b2, 0), 1.0);
  EXPECT_EQ(npy::load_as_double(b2, 1), -2.5);

  // A truncated float64 file still says so, in the same words as before.
  expect_rejected(numpy_saved("<f8", 3, f64({1.0, 2.0})), "truncated .npy file: shape (3,) of f64 needs 24 data bytes");
}

TEST(HostNpy, SerializeKeepsTypeAndByteOrder) {
  const npy::Array a = npy::parse(numpy_saved(">f8", 2, f64({3.0, -0.0}, true)), "x");
  const npy::Array b = npy::parse(npy::serialize(a), "round-trip");
  EXPECT_EQ(b.descr(), ">f8");
  EXPECT_EQ(b.bytes, a.bytes);
}

// ---- Integer files: class indices ------------------------------------------
// np.save('t.npy', np.array([3, -100, 0])) writes '<i8' on a little-endian
// machine; .astype(np.int32) writes '<i4'.

TEST(HostNpy, ParsesLittleEndianInt32AndInt64AsNumPyWritesThem) {
  const npy::Array a = npy::parse(numpy_saved("<i8", 3, encoded<std::int64_t>({3, -100, 0x123456789ab}, false)),
                                  "t.npy");
  EXPECT_EQ(a.type, npy::ElementType::i64);
  EXPECT_TRUE(npy::is_integer(a.type));
  EXPECT_EQ(a.descr(), "<i8");
  EXPECT_EQ(a.shape, std::vector<std::int64_t>{3});
  EXPECT_EQ(npy::load_as_int64(a, 0), 3);
  EXPECT_EQ(npy::load_as_int64(a, 1), -100);
  EXPECT_EQ(npy::load_as_int64(a, 2), 0x123456789ab);  // beyond 32 bits

  const npy::Array b = npy::parse(numpy_saved("<i4", 2, encoded<std::int32_t>({7, -2147483647 - 1}, false)), "t.npy");
  EXPECT_EQ(b.type, npy::ElementType::i32);
  EXPECT_EQ(npy::element_size(b.type), 4u);
  EXPECT_EQ(npy::load_as_int64(b, 0), 7);
  EXPECT_EQ(npy::load_as_int64(b, 1), -2147483648LL);  // sign-extended

  // Multi-dimensional and round-tripped through serialize, as the tests write them.
  const npy::Array c = npy::parse(
      npy_file("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 1)}", encoded<std::int32_t>({1, 2}, false)),
      "t.npy");
  EXPECT_EQ(c.shape, (std::vector<std::int64_t>{2, 1}));
  const npy::Array d = npy::parse(npy::serialize(c), "round-trip");
  EXPECT_EQ(d.descr(), "<i4");
  EXPECT_EQ(d.bytes, c.bytes);
}

TEST(HostNpy, RejectsBigEndianIntegersFortranOrderAndTruncatedIntegerFiles) {
  expect_rejected(numpy_saved(">i8", 1, encoded<std::int64_t>({1}, true)),
                  "unsupported dtype '>i8': lossbench reads integers little-endian only");
  expect_rejected(numpy_saved(">i4", 1, encoded<std::int32_t>({1}, true)), "astype('<i4')");
  expect_rejected(npy_file("{'descr': '<i8', 'fortran_order': True, 'shape': (1,)}", encoded<std::int64_t>({1}, false)),
                  "Fortran-order");
  const auto whole = numpy_saved("<i8", 3, encoded<std::int64_t>({1, 2, 3}, false));
  expect_rejected({whole.begin(), whole.end() - 5}, "truncated .npy file: shape (3,) of i64 needs 24 data bytes");
  const auto whole32 = numpy_saved("<i4", 3, encoded<std::int32_t>({1, 2, 3}, false));
  expect_rejected({whole32.begin(), whole32.end() - 4}, "truncated .npy file: shape (3,) of i32 needs 12 data bytes");
}

TEST(HostNpy, IntegerAndFloatArraysAreNotReadAsEachOther) {
  const npy::Array ints = npy::parse(numpy_saved("<i4", 1, encoded<std::int32_t>({1}, false)), "t.npy");
  EXPECT_THROW(npy::load_as_double(ints, 0), InputError);
  EXPECT_THROW(npy::load_as_int64(npy::parse(numpy_saved("<f8", 1, f64({1.0})), "z.npy"), 0), InputError);
  // Converting class indices to a compute dtype is the caller's mistake, named with the file.
  try {
    npy::to_dtype(ints, DType::f32, "t.npy");
    ADD_FAILURE() << "converted int32 to f32";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.npy: holds i32 integers where floats are expected"), std::string::npos)
        << e.what();
  }
}

// ---- Conversion to the computation's dtype --------------------------------

npy::Array f64_array(std::initializer_list<double> values, bool big_endian = false) {
  return npy::parse(numpy_saved(big_endian ? ">f8" : "<f8", static_cast<int>(values.size()), f64(values, big_endian)),
                    "z.npy");
}

TEST(HostNpyConvert, Float64ToFloat32RoundsToNearestEven) {
  struct Case {
    double in;
    float out;
  };
  const Case cases[] = {
      {1.0 + 0x1p-24, 1.0f},                         // halfway between 1 and 1 + 2^-23: to the even, 1
      {1.0 + 3 * 0x1p-24, 1.0f + 0x1p-22f},          // halfway again: to the even, 1 + 2^-22
      {1.0 + 0x1p-24 + 0x1p-50, 1.0f + 0x1p-23f},    // just above halfway: up
      {1.0 + 0x1p-24 - 0x1p-50, 1.0f},               // just below: down
      {-(1.0 + 3 * 0x1p-24), -(1.0f + 0x1p-22f)},    // symmetric for negatives
      {0.1, 0x1.99999ap-4f},                         // 0.1's nearest float
      {0x1p-150, 0.0f},                              // half the smallest subnormal: ties to even, 0
      {0x1.8p-149, 0x1p-148f},                       // 1.5 subnormals: ties to even, 2
      {0x1p-1000, 0.0f},                             // underflows to zero: not an error
      {0x1.fffffefffffffp127, 0x1.fffffep127f},      // just below the overflow threshold: the largest float
  };
  npy::Array a = f64_array({});
  for (const Case& c : cases) {
    a.shape = {1};
    a.bytes = f64({c.in});
    const std::vector<unsigned char> out = npy::to_dtype(a, DType::f32, "z.npy");
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(f32_bits(out, 0), std::bit_cast<std::uint32_t>(c.out)) << std::hexfloat << c.in << " -> " << c.out;
  }
  // Signed zero, infinities and NaN carry over; none is an overflow.
  const npy::Array special = f64_array({-0.0, INFINITY, -INFINITY, NAN});
  const std::vector<unsigned char> out = npy::to_dtype(special, DType::f32, "z.npy");
  EXPECT_EQ(f32_bits(out, 0), 0x80000000u);
  EXPECT_EQ(load_as_double(out.data(), DType::f32, 1), INFINITY);
  EXPECT_EQ(load_as_double(out.data(), DType::f32, 2), -INFINITY);
  EXPECT_TRUE(std::isnan(load_as_double(out.data(), DType::f32, 3)));
}

TEST(HostNpyConvert, Float64ToHalfRoundsOnceNotThroughFloat32) {
  // 1 + 2^-11 + 2^-30: above the halfway point between 1 and 1 + 2^-10, so up;
  // through float32 it would first become 1 + 2^-11 exactly, then tie to 1.
  const std::vector<unsigned char> half = npy::to_dtype(f64_array({1.0 + 0x1p-11 + 0x1p-30}), DType::f16, "z.npy");
  EXPECT_EQ(load_as_double(half.data(), DType::f16, 0), 1.0 + 0x1p-10);
  const std::vector<unsigned char> bf = npy::to_dtype(f64_array({1.0 + 0x1p-8 + 0x1p-30}), DType::bf16, "z.npy");
  EXPECT_EQ(load_as_double(bf.data(), DType::bf16, 0), 1.0 + 0x1p-7);
}

TEST(HostNpyConvert, BigEndianIsSwappedBitForBit) {
  // '>f4' to f32: the same bits, whatever they mean (here a NaN with a payload, kept).
  const npy::Array b4 = npy::parse(numpy_saved(">f4", 2, {0x12, 0x34, 0x56, 0x78, 0x7f, 0x80, 0x00, 0x01}), "b4.npy");
  const std::vector<unsigned char> f32 = npy::to_dtype(b4, DType::f32, "b4.npy");
  EXPECT_EQ(f32_bits(f32, 0), 0x12345678u);
  EXPECT_EQ(f32_bits(f32, 1), 0x7f800001u);
  // '>f2' to f16: the same bits; to f32, exactly.
  const npy::Array b2 = npy::parse(numpy_saved(">f2", 2, {0x3c, 0x01, 0x80, 0x01}), "b2.npy");
  const std::vector<unsigned char> f16 = npy::to_dtype(b2, DType::f16, "b2.npy");
  EXPECT_EQ(f16, (std::vector<unsigned char>{0x01, 0x3c, 0x01, 0x80}));
  const std::vector<unsigned char> widened = npy::to_dtype(b2, DType::f32, "b2.npy");
  EXPECT_EQ(load_as_double(widened.data(), DType::f32, 0), 1.0 + 0x1p-10);
  EXPECT_EQ(load_as_double(widened.data(), DType::f32, 1), -0x1p-24);  // the smallest subnormal, negative
  // '>f8' converts as '<f8' does.
  const std::vector<unsigned char> from_big = npy::to_dtype(f64_array({0.1, -3.75, 1e-40}, true), DType::f32, "z");
  EXPECT_EQ(from_big, npy::to_dtype(f64_array({0.1, -3.75, 1e-40}), DType::f32, "z"));
  // A little-endian file of the target type is returned as it is.
  const npy::Array le = npy::from_dtype(f32, DType::f32, {2});
  EXPECT_EQ(npy::to_dtype(le, DType::f32, "x"), f32);
}

TEST(HostNpyConvert, AFiniteValueThatOverflowsIsAnErrorNamingTheArrayAndIndex) {
  struct Case {
    double value;
    DType dtype;
    const char* needle;
  };
  const Case cases[] = {
      {1e39, DType::f32, "element 2 = 1e+39 does not fit in f32: it would round to inf"},
      {-1e39, DType::f32, "does not fit in f32: it would round to -inf"},
      {0x1.ffffffp127, DType::f32, "does not fit in f32"},  // exactly halfway to 2^128: ties to even, inf
      {65520.0, DType::f16, "element 2 = 65520 does not fit in f16"},  // halfway past 65504: inf
      {std::numeric_limits<double>::max(), DType::bf16, "does not fit in bf16"},
  };
  for (const Case& c : cases) {
    const npy::Array a = f64_array({0.0, 1.0, c.value, 2.0});
    try {
      npy::to_dtype(a, c.dtype, "logits.npy");
      ADD_FAILURE() << "accepted " << c.value << " as " << to_string(c.dtype);
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("logits.npy: "), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.needle), std::string::npos) << e.what() << "\nexpected: " << c.needle;
    }
    // Overflow::to_infinity: what IEEE rounding gives, no error.
    const std::vector<unsigned char> out = npy::to_dtype(a, c.dtype, "logits.npy", npy::Overflow::to_infinity);
    EXPECT_EQ(load_as_double(out.data(), c.dtype, 2), c.value < 0 ? -INFINITY : INFINITY);
    EXPECT_EQ(load_as_double(out.data(), c.dtype, 3), 2.0);
  }
  // The largest value of each type, and values just under the threshold, fit.
  EXPECT_NO_THROW(npy::to_dtype(f64_array({65519.99, -65504.0}), DType::f16, "x"));
  // float32 to float16 follows the same rule.
  std::vector<unsigned char> big(4);
  store_from_double(big.data(), DType::f32, 0, 1e5);
  EXPECT_THROW(npy::to_dtype(npy::from_dtype(big, DType::f32, {1}), DType::f16, "x"), InputError);
}

}  // namespace
}  // namespace lossbench
