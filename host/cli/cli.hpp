#pragma once
// The `lossbench` command line: subcommands registered on a CLI11 app, run
// in-process so that tests can call it with arguments and read its output.
#include <ostream>
#include <string>
#include <vector>

namespace lossbench::cli {

/// Exit statuses: 0 success; 1 a backend that is missing or failed (no
/// device, a refused launch, out of memory; also a bug of lossbench's own,
/// reported as "internal error"); 2 bad input or usage (unknown option,
/// malformed file, target outside [0, 1], ...); 3 a verification that ran
/// and found a failing case.
inline constexpr int kExitOk = 0;
inline constexpr int kExitBackendError = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitVerificationFailed = 3;

/// Runs `lossbench` with `args` (without the program name). Results go to
/// `out`, messages and errors to `err`. Returns the exit status; never calls exit().
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace lossbench::cli
