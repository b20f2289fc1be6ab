#include "sections/verify_output.hpp"

#include <regex>
#include <sstream>

namespace lossbench::report {

namespace {
// A failing case's details: at most this many lines, so a report stays readable.
constexpr std::size_t kDetailLines = 8;
constexpr std::size_t kFailuresListed = 20;
}  // namespace

VerifySummary parse_verify_output(const std::string& text) {
  VerifySummary s;
  static const std::regex header(R"(^lossbench verify on backend \S+: (\d+) cases)");
  static const std::regex summary(R"(^(\d+) passed, (\d+) failed \(([0-9.eE+-]+) s\))");
  std::istringstream lines(text);
  std::string current;  // the failure being collected
  std::size_t details = 0;
  const auto flush = [&] {
    if (!current.empty() && s.failures.size() < kFailuresListed) s.failures.push_back(current);
    current.clear();
  };
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, header)) {
      s.header = line;
      s.cases = std::stoul(m[1]);
    } else if (std::regex_search(line, m, summary)) {
      flush();
      s.summary = line;
      s.passed = std::stoul(m[1]);
      s.failed = std::stoul(m[2]);
      s.seconds = std::stod(m[3]);
    } else if (line.size() >= 6 && line.compare(line.size() - 6, 6, "  FAIL") == 0) {
      flush();
      current = line;
      details = 0;
    } else if (!current.empty() && line.rfind("    ", 0) == 0) {
      if (details++ < kDetailLines) current += "\n" + line;
    } else {
      flush();
    }
  }
  flush();
  return s;
}

}  // namespace lossbench::report
