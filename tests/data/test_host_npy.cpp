// .npy parsing and writing: round trips, files as NumPy writes them, and a
// clear InputError for every malformed, unsupported or truncated file.
#include <gtest/gtest.h>

#include <cstring>
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
  EXPECT_EQ(a.dtype, DType::f32);
  EXPECT_EQ(a.shape, std::vector<std::int64_t>{3});
  ASSERT_EQ(a.size(), 3);
  EXPECT_EQ(load_as_double(a.bytes.data(), a.dtype, 2), 0.5);
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
  npy::Array a;
  a.dtype = DType::f16;
  a.shape = {2, 3};
  a.bytes.resize(12);
  for (std::size_t i = 0; i < 6; ++i) store_from_double(a.bytes.data(), a.dtype, i, 0.25 * static_cast<double>(i));
  const std::vector<unsigned char> file = npy::serialize(a);
  // The data starts on a 64-byte boundary, as NumPy's own writer guarantees.
  EXPECT_EQ((file.size() - a.bytes.size()) % 64, 0u);
  const npy::Array b = npy::parse(file, "round-trip");
  EXPECT_EQ(b.dtype, a.dtype);
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
  for (const std::string descr : {"<f8", ">f4", "<i4", "|b1", "<c8"}) {
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

TEST(HostNpy, RefusesToWriteBFloat16) {
  npy::Array a;
  a.dtype = DType::bf16;
  a.shape = {1};
  a.bytes.resize(2);
  EXPECT_THROW(npy::serialize(a), InputError);
}

}  // namespace
}  // namespace lossbench
