#pragma once
// Errors that lossbench reports to its caller. Library code throws; only the
// CLI turns an error into a message and an exit code.
#include <stdexcept>
#include <string>

namespace lossbench {

/// Bad input from the caller: an argument out of range, a malformed file, a
/// target outside [0, 1]. The CLI exits with status 2 on this error.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

/// A backend that cannot run: not built, no device, or a CUDA call that
/// failed (the message names the call and its source location).
class BackendError : public std::runtime_error {
 public:
  explicit BackendError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace lossbench
