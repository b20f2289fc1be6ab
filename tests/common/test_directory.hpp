#pragma once
// A fresh directory for one test, removed when the test ends, with the file
// helpers that the tests of file input and output share. Header-only, for
// any test executable.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace lossbench::testing {

class TestDirectory {
 public:
  /// Under the system's temporary directory, named after the running test.
  TestDirectory() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string test = info == nullptr ? "none" : std::string(info->test_suite_name()) + "_" + info->name();
    path_ = std::filesystem::temp_directory_path() /
            ("lossbench_test_" + test + "_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(path_);
  }
  ~TestDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TestDirectory(const TestDirectory&) = delete;
  TestDirectory& operator=(const TestDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }
  operator const std::filesystem::path&() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  void put(const std::filesystem::path& file, const std::string& text) const {
    std::ofstream(resolve(file), std::ios::binary) << text;
  }
  std::string contents(const std::filesystem::path& file) const {
    std::ifstream in(resolve(file), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  /// The sorted names in the directory: a temporary file left behind shows here.
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  /// Writes `bytes` gzip-compressed; returns the file's path.
  template <class Bytes>
  std::string write_gzip(const std::string& name, const Bytes& bytes) const {
    const std::string file = (path_ / name).string();
    gzFile out = gzopen(file.c_str(), "wb");
    gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(out);
    return file;
  }

 private:
  // A relative name is in this directory; an absolute path is taken as it is.
  std::filesystem::path resolve(const std::filesystem::path& file) const {
    return file.is_absolute() ? file : path_ / file;
  }
  std::filesystem::path path_;
};

}  // namespace lossbench::testing
