#pragma once
// Whether a test runs the full verify sweep or the quick one (the quick
// sweep keeps every edge, fewer sizes between them). Full, unless the
// environment says LOSSBENCH_TEST_SWEEPS=quick: the asan test preset does,
// since a Debug build under AddressSanitizer runs the emulated kernels and
// the cpu backend ~10× slower, and the default preset already runs each
// sweep in full against the same source. Any other value is an error, so
// that a typo cannot quietly shrink a test.
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace lossbench::testing {

/// The value of `quick` for the standard_*_cases functions.
inline bool quick_sweeps() {
  const char* value = std::getenv("LOSSBENCH_TEST_SWEEPS");
  if (value == nullptr || *value == '\0' || std::string(value) == "full") return false;
  if (std::string(value) == "quick") return true;
  throw std::invalid_argument("LOSSBENCH_TEST_SWEEPS='" + std::string(value) + "': expected 'full' or 'quick'");
}

}  // namespace lossbench::testing
