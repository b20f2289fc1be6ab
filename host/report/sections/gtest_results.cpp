#include "sections/gtest_results.hpp"

namespace lossbench::report {

GtestResults parse_gtest_json(const nlohmann::json& results) {
  GtestResults r;
  for (const nlohmann::json& suite : results.value("testsuites", nlohmann::json::array())) {
    for (const nlohmann::json& test : suite.value("testsuite", nlohmann::json::array())) {
      const std::string name = suite.value("name", "?") + "." + test.value("name", "?");
      if (test.contains("failures") && !test["failures"].empty()) {
        ++r.failed;
        r.failed_tests.push_back(name);
      } else if (test.value("result", "") == "SKIPPED") {
        ++r.skipped;
      } else if (test.value("status", "RUN") != "RUN") {
        ++r.disabled;
      } else {
        ++r.passed;
      }
    }
  }
  return r;
}

}  // namespace lossbench::report
