#pragma once
// A GoogleTest executable's results, from the file --gtest_output=json:FILE writes.
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lossbench::report {

struct GtestResults {
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t skipped = 0;   // GTEST_SKIP, e.g. no GPU
  std::size_t disabled = 0;  // not run
  std::vector<std::string> failed_tests;  // Suite.Name
};

GtestResults parse_gtest_json(const nlohmann::json& results);

}  // namespace lossbench::report
