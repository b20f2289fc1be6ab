// IDX files (MNIST / Fashion-MNIST): raw and gzip-compressed files read
// alike, and every malformed file is an InputError naming the problem.
#include <gtest/gtest.h>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "common/test_directory.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/data/idx.hpp"

namespace lossbench {
namespace {

namespace fs = std::filesystem;

std::vector<unsigned char> idx_bytes(std::vector<std::uint32_t> dims, const std::vector<unsigned char>& data,
                                     unsigned char type = 0x08) {
  std::vector<unsigned char> out = {0, 0, type, static_cast<unsigned char>(dims.size())};
  for (const std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<unsigned char>(d >> shift));
  }
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

class HostIdx : public ::testing::Test {
 protected:

  std::string write_raw(const std::string& name, const std::vector<unsigned char>& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                static_cast<std::streamsize>(bytes.size()));
    return path;
  }
  std::string write_gzip(const std::string& name, const std::vector<unsigned char>& bytes) {
    return dir_.write_gzip(name, bytes);
  }

  void expect_rejected(const std::string& path, const std::string& needle) {
    try {
      idx::read(path);
      ADD_FAILURE() << "accepted " << path << "; expected: " << needle;
    } catch (const InputError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(path), std::string::npos) << message;
      EXPECT_NE(message.find(needle), std::string::npos) << message << "\nexpected: " << needle;
    }
  }

  testing::TestDirectory dir_;
};

TEST_F(HostIdx, ReadsRawAndGzippedFilesAlike) {
  std::vector<unsigned char> pixels(2 * 3 * 4);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<unsigned char>(10 * i);
  const auto bytes = idx_bytes({2, 3, 4}, pixels);
  for (const std::string& path : {write_raw("images.idx", bytes), write_gzip("images.idx.gz", bytes)}) {
    const idx::Array a = idx::read(path);
    EXPECT_EQ(a.dims, (std::vector<std::uint32_t>{2, 3, 4})) << path;
    EXPECT_EQ(a.data, std::vector<std::uint8_t>(pixels.begin(), pixels.end())) << path;
  }
}

TEST_F(HostIdx, BigEndianDimensionsBeyondOneByte) {
  const idx::Array a = idx::parse(idx_bytes({300}, std::vector<unsigned char>(300, 7)), "x");
  EXPECT_EQ(a.dims, std::vector<std::uint32_t>{300});
}

TEST_F(HostIdx, RejectsMalformedFiles) {
  expect_rejected(write_raw("short", {0, 0}), "too short for an IDX header");
  expect_rejected(write_raw("magic", {1, 2, 8, 1, 0, 0, 0, 0}), "bad IDX magic");
  expect_rejected(write_raw("float", idx_bytes({1}, {0, 0, 0, 0}, 0x0d)), "unsupported IDX element type 0x0d");
  expect_rejected(write_raw("rank", {0, 0, 8, 9}), "1 to 4 dimensions");
  expect_rejected(write_raw("header", {0, 0, 8, 3, 0, 0, 0, 2}), "truncated IDX header");
  expect_rejected(write_raw("data", idx_bytes({2, 5}, std::vector<unsigned char>(9))), "truncated IDX data");
  expect_rejected(write_raw("trailing", idx_bytes({4}, std::vector<unsigned char>(6))), "2 bytes after the 4");
  expect_rejected((dir_ / "missing.gz").string(), "cannot open");
}

TEST_F(HostIdx, RejectsATruncatedGzipStream) {
  const std::string whole = write_gzip("whole.gz", idx_bytes({1000}, std::vector<unsigned char>(1000, 3)));
  std::ifstream in(whole, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string cut = write_raw("cut.gz", std::vector<unsigned char>(bytes.begin(), bytes.end() - 12));
  expect_rejected(cut, "corrupt or truncated gzip data");
}

TEST_F(HostIdx, LabelledImagesMustAgree) {
  const std::string images = write_gzip("i.gz", idx_bytes({3, 2, 2}, std::vector<unsigned char>(12, 1)));
  const std::string labels = write_gzip("l.gz", idx_bytes({3}, {0, 9, 4}));
  const idx::LabelledImages set = idx::read_labelled_images(images, labels, 10);
  EXPECT_EQ(set.count(), 3u);
  EXPECT_EQ(set.rows, 2u);
  EXPECT_EQ(set.pixels.size(), 12u);

  const std::string two_labels = write_gzip("l2.gz", idx_bytes({2}, {0, 1}));
  EXPECT_THROW(idx::read_labelled_images(images, two_labels, 10), InputError);
  const std::string bad_label = write_gzip("l3.gz", idx_bytes({3}, {0, 12, 1}));
  try {
    idx::read_labelled_images(images, bad_label, 10);
    ADD_FAILURE() << "accepted label 12";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("label 12 at index 1 is outside 0..9"), std::string::npos) << e.what();
  }
  EXPECT_THROW(idx::read_labelled_images(labels, labels, 10), InputError);  // labels are not images
}

}  // namespace
}  // namespace lossbench
