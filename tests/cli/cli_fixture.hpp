#pragma once
// A test fixture that runs the lossbench command in-process and keeps what
// it printed, for the CLI tests.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace lossbench::testing {

class CliFixture : public ::testing::Test {
 protected:
  /// cli::run(args) with fresh out_ and err_; its exit status.
  int run(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    return cli::run(args, out_, err_);
  }

  std::ostringstream out_;
  std::ostringstream err_;
};

}  // namespace lossbench::testing
