#pragma once
// Where the programs and files a report runs are, found from the path of the
// running `lossbench` itself so that a copy moved to another directory (or
// machine) still finds its own:
//
//   installed:   PREFIX/bin/lossbench, PREFIX/bin/lossbench_bench,
//                PREFIX/libexec/lossbench/test_gpu_*, PREFIX/share/lossbench/
//                (plot.py, compare_pytorch.py, predictions.json)
//   build tree:  BUILD/host/cli/lossbench, BUILD/bench/lossbench_bench,
//                BUILD/tests/**/test_gpu_*, and the scripts and predictions in
//                the source tree (bench/, docs/), whose path is compiled in.
//
// The installed layout is tried first; when the binary is in it, nothing is
// taken from a build tree, so an install never mixes in stale build outputs.
#include <filesystem>
#include <string>
#include <vector>

namespace lossbench::report {

struct ExecutableLayout {
  std::string kind;  // "installed" or "build tree"
  std::filesystem::path lossbench;
  std::filesystem::path lossbench_bench;  // empty when absent
  std::vector<std::filesystem::path> gpu_tests;  // sorted by name
  std::filesystem::path gpu_test_directory;      // where they were looked for
  std::filesystem::path plot_script;             // empty when absent
  std::filesystem::path compare_pytorch_script;  // empty when absent
  std::filesystem::path predictions;             // empty when absent
  /// Where the scripts and predictions were looked for, for "not found" messages.
  std::vector<std::filesystem::path> script_directories;
};

/// The layout around `self`, the path of the running lossbench binary.
/// `source_directory` is where a build tree's scripts live (the compiled-in
/// source path; may not exist on another machine). Throws InputError when
/// `self` is in neither layout.
ExecutableLayout locate_executables(const std::filesystem::path& self, const std::filesystem::path& source_directory);

/// The running program's own path (/proc/self/exe).
std::filesystem::path running_executable();

}  // namespace lossbench::report
