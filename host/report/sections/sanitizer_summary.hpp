#pragma once
// compute-sanitizer's summary line, read back from its output:
// "========= ERROR SUMMARY: 0 errors" (memcheck, synccheck) or
// "========= RACECHECK SUMMARY: 0 hazards displayed (0 errors, 0 warnings)".
#include <optional>
#include <string>

namespace lossbench::report {

struct SanitizerSummary {
  std::string line;  // the summary line, without the "=========" prefix
  long errors = 0;
};

/// The last summary line of `text`, or nullopt when there is none (the tool
/// did not finish).
std::optional<SanitizerSummary> parse_sanitizer_summary(const std::string& text);

}  // namespace lossbench::report
