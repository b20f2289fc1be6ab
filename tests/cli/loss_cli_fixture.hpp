#pragma once
// The fixture of the `lossbench loss` tests: a fresh directory, .npy inputs
// written into it (float arrays in a DType, integer class indices), and the
// check of a bad input (exit status 2 with a message naming the problem).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "cli_fixture.hpp"
#include "common/test_directory.hpp"
#include "lossbench/core/dtype.hpp"
#include "lossbench/data/npy.hpp"

namespace lossbench::testing {

class LossCliFixture : public CliFixture {
 protected:
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  /// `values` rounded to `dtype` (bf16 is written as float32); the shape is
  /// 1-d unless given. Returns the file's path.
  std::string write_array(const std::string& name, DType dtype, const std::vector<double>& values,
                          std::vector<std::int64_t> shape = {}) {
    std::vector<unsigned char> bytes(values.size() * dtype_size(dtype));
    for (std::size_t i = 0; i < values.size(); ++i) store_from_double(bytes.data(), dtype, i, values[i]);
    npy::write(path(name), npy::from_dtype(std::move(bytes), dtype, shape_of(values.size(), shape)));
    return path(name);
  }

  /// Class indices as np.save() writes int32 ('<i4') or int64 ('<i8') arrays.
  std::string write_indices(const std::string& name, npy::ElementType type, const std::vector<std::int64_t>& values,
                            std::vector<std::int64_t> shape = {}) {
    npy::Array a;
    a.type = type;
    a.shape = shape_of(values.size(), shape);
    for (const std::int64_t v : values) {
      unsigned char b[8];
      if (type == npy::ElementType::i32) {
        const auto narrow = static_cast<std::int32_t>(v);
        std::memcpy(b, &narrow, 4);
      } else {
        std::memcpy(b, &v, 8);
      }
      a.bytes.insert(a.bytes.end(), b, b + npy::element_size(type));
    }
    npy::write(path(name), a);
    return path(name);
  }

  static std::vector<std::int64_t> shape_of(std::size_t size, std::vector<std::int64_t> shape) {
    return shape.empty() ? std::vector<std::int64_t>{static_cast<std::int64_t>(size)} : shape;
  }

  void put(const std::string& name, const std::string& text) const { dir_.put(name, text); }
  std::string contents(const std::string& name) const { return dir_.contents(name); }
  std::vector<std::string> listing() const { return dir_.listing(); }

  /// Runs and expects exit status 2 with `needle` in the error message.
  void expect_bad_input(const std::vector<std::string>& args, const std::string& needle) {
    std::string command;
    for (const auto& a : args) command += a + " ";
    EXPECT_EQ(run(args), cli::kExitBadInput) << command << "\nstderr: " << err_.str();
    EXPECT_NE(err_.str().find(needle), std::string::npos)
        << command << "\nstderr: " << err_.str() << "\nexpected to contain: " << needle;
  }

  TestDirectory dir_;
};

}  // namespace lossbench::testing
