// The MismatchLog that every verification checks through, on fabricated
// data: which elements fail (beyond the bound, NaN where a number was
// expected), what it keeps of them (the first few, with index, inputs, got,
// expected and bound), what it counts, and what it prints.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "lossbench/verify/mismatch_log.hpp"

namespace lossbench {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(HostMismatchLog, ElementsWithinTheBoundPass) {
  MismatchLog log;
  EXPECT_EQ(log.check("grad", 0, 1.0, 1.0, 0.0), 0.0);       // equal passes even with a zero bound
  EXPECT_EQ(log.check("grad", 1, kInf, kInf, 1e-7), 0.0);    // equal infinities
  EXPECT_EQ(log.check("loss", 0, kNaN, kNaN, 1e-7), 0.0);    // NaN where NaN is expected (mean of nothing)
  EXPECT_DOUBLE_EQ(log.check("grad", 2, 1.5, 1.0, 1.0), 0.5);
  EXPECT_DOUBLE_EQ(log.check("grad", 3, 2.0, 1.0, 1.0), 1.0);  // exactly the bound passes
  EXPECT_TRUE(log.passed());
  EXPECT_EQ(log.checked_elements(), 5);
  EXPECT_EQ(log.failed_elements(), 0);
  EXPECT_DOUBLE_EQ(log.max_error(), 1.0);
  EXPECT_TRUE(log.mismatches().empty());
  EXPECT_EQ(log.report(), "");
}

TEST(HostMismatchLog, KeepsTheFirstFewMismatchesAndCountsTheRest) {
  MismatchLog log(3);
  int described = 0;
  for (int i = 0; i < 10; ++i) {
    const double got = i % 2 == 0 ? 1.0 + 4.0 * i : 1.0;  // even elements off by 4i, bound 1
    log.check("dW", i, got, 1.0, 1.0, [&] {
      ++described;
      return "c = " + std::to_string(i);
    });
  }
  EXPECT_FALSE(log.passed());
  EXPECT_EQ(log.failed_elements(), 4);  // 2, 4, 6, 8 (0 is exact)
  EXPECT_EQ(log.unwritten_elements(), 0);
  EXPECT_DOUBLE_EQ(log.max_error(), 32.0);
  ASSERT_EQ(log.mismatches().size(), 3u);
  EXPECT_EQ(described, 3) << "inputs are described only for the mismatches kept";
  const Mismatch& m = log.mismatches()[0];
  EXPECT_EQ(m.output, "dW");
  EXPECT_EQ(m.index, 2);
  EXPECT_EQ(m.inputs, "c = 2");
  EXPECT_EQ(m.got, 9.0);
  EXPECT_EQ(m.expected, 1.0);
  EXPECT_EQ(m.bound, 1.0);
  EXPECT_DOUBLE_EQ(m.error, 8.0);
  EXPECT_EQ(log.mismatches()[2].index, 6);
}

TEST(HostMismatchLog, NaNWhereANumberIsExpectedIsUnwritten) {
  MismatchLog log;
  EXPECT_EQ(log.check("db", 7, kNaN, 0.25, 1e-3), kInf);
  EXPECT_EQ(log.check("db", 8, 0.25, kNaN, 1e-3), kInf);
  EXPECT_FALSE(log.passed());
  EXPECT_EQ(log.failed_elements(), 2);
  EXPECT_EQ(log.unwritten_elements(), 1);
  const std::string line = describe(log.mismatches()[0]);
  EXPECT_NE(line.find("db[7]: got NaN, expected 0.25, bound 0.001 (inf x bound): NaN is the poison"),
            std::string::npos)
      << line;
}

TEST(HostMismatchLog, GuardsAndRerunsAreProblems) {
  MismatchLog log;
  log.check_guards("dW", true);
  log.check_same_bits("dW", {1, 2, 3}, {1, 2, 3});
  EXPECT_TRUE(log.passed());
  log.check_guards("db", false);
  log.check_same_bits("L", {1, 2, 3}, {1, 9, 3});
  EXPECT_FALSE(log.passed());
  EXPECT_FALSE(log.guards_intact());
  EXPECT_FALSE(log.same_bits());
  EXPECT_EQ(log.failed_elements(), 0);
  ASSERT_EQ(log.problems().size(), 2u);
  EXPECT_NE(log.problems()[0].find("guard element next to db changed"), std::string::npos) << log.problems()[0];
  EXPECT_NE(log.problems()[1].find("different bits in L from byte 1"), std::string::npos) << log.problems()[1];
}

TEST(HostMismatchLog, PrintsIndexInputsGotExpectedAndBound) {
  MismatchLog log(2);
  log.check("grad", 17, 0.25, 0.125, 1e-7, [] { return std::string("z = 3.5, y = 0"); });
  log.check("grad", 18, 0.5, 0.125, 1e-7, [] { return std::string("z = 4, y = 0"); });
  log.check("grad", 19, kNaN, 0.125, 1e-7, [] { return std::string("z = 5, y = 0"); });
  log.check_guards("grad", false);
  const std::string report = log.report();
  EXPECT_NE(report.find("3 of 3 elements outside the bound (1 NaN), the first 2:"), std::string::npos) << report;
  EXPECT_NE(report.find("grad[17] (z = 3.5, y = 0): got 0.25, expected 0.125, bound 1e-07 (1.25e+06 x bound)"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("grad[18] (z = 4, y = 0): got 0.5"), std::string::npos) << report;
  EXPECT_EQ(report.find("grad[19]"), std::string::npos) << "only the first 2 are kept:\n" << report;
  EXPECT_NE(report.find("a guard element next to grad changed"), std::string::npos) << report;
}

}  // namespace
}  // namespace lossbench
