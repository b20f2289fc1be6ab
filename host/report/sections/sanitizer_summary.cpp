#include "sections/sanitizer_summary.hpp"

#include <regex>
#include <sstream>

namespace lossbench::report {

std::optional<SanitizerSummary> parse_sanitizer_summary(const std::string& text) {
  static const std::regex error_summary(R"(ERROR SUMMARY: ([0-9,]+) error)");
  static const std::regex racecheck_summary(R"(RACECHECK SUMMARY: .*\(([0-9,]+) error)");
  std::optional<SanitizerSummary> found;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, error_summary) || std::regex_search(line, m, racecheck_summary)) {
      std::string digits;
      for (const char c : m[1].str()) {
        if (c != ',') digits += c;
      }
      const std::size_t start = line.find_first_not_of("= ");
      found = SanitizerSummary{start == std::string::npos ? line : line.substr(start), std::stol(digits)};
    }
  }
  return found;
}

}  // namespace lossbench::report
