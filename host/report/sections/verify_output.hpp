#pragma once
// What `lossbench verify` printed, read back: its header, its summary line
// and its failing cases with the lines that explain them.
#include <cstddef>
#include <string>
#include <vector>

namespace lossbench::report {

struct VerifySummary {
  std::string header;   // "lossbench verify on backend emu: 1832 cases (...)"
  std::string summary;  // "1832 passed, 0 failed (8.1 s)"; empty when it did not finish
  std::size_t cases = 0;
  std::size_t passed = 0;
  std::size_t failed = 0;
  double seconds = 0;
  std::vector<std::string> failures;  // each failing case's line and its indented details
};

VerifySummary parse_verify_output(const std::string& text);

}  // namespace lossbench::report
