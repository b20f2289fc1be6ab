#include "executable_layout.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <system_error>

#include "lossbench/core/error.hpp"

namespace lossbench::report {
namespace {

namespace fs = std::filesystem;

bool is_executable(const fs::path& p) {
  struct stat info{};
  return ::stat(p.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

bool is_file(const fs::path& p) {
  std::error_code ignored;
  return fs::is_regular_file(p, ignored);
}

fs::path if_executable(const fs::path& p) { return is_executable(p) ? p : fs::path(); }
fs::path if_file(const fs::path& p) { return is_file(p) ? p : fs::path(); }

// Executables named test_gpu_* under `directory` (recursively when asked), sorted.
std::vector<fs::path> gpu_tests_under(const fs::path& directory, bool recursive) {
  std::vector<fs::path> found;
  std::error_code error;
  const auto consider = [&](const fs::directory_entry& entry) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("test_gpu_", 0) == 0 && is_executable(entry.path())) found.push_back(entry.path());
  };
  if (recursive) {
    for (fs::recursive_directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
      if (it->is_directory(error) && it->path().filename() == "CMakeFiles") {
        it.disable_recursion_pending();
        continue;
      }
      consider(*it);
    }
  } else {
    for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) consider(*it);
  }
  std::sort(found.begin(), found.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  return found;
}

void find_scripts(ExecutableLayout& layout, const fs::path& scripts, const fs::path& predictions_directory) {
  layout.plot_script = if_file(scripts / "plot.py");
  layout.compare_pytorch_script = if_file(scripts / "compare_pytorch.py");
  layout.predictions = if_file(predictions_directory / "predictions.json");
  layout.script_directories = {scripts};
  if (predictions_directory != scripts) layout.script_directories.push_back(predictions_directory);
}

}  // namespace

fs::path running_executable() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) throw InputError("cannot find the running executable (/proc/self/exe): " + error.message());
  return self;
}

ExecutableLayout locate_executables(const fs::path& self, const fs::path& source_directory) {
  const fs::path directory = self.parent_path();
  ExecutableLayout layout;

  // Installed: PREFIX/bin/lossbench with PREFIX/share/lossbench beside it.
  const fs::path prefix = directory.parent_path();
  std::error_code ignored;
  if (directory.filename() == "bin" && fs::is_directory(prefix / "share" / "lossbench", ignored)) {
    layout.kind = "installed";
    layout.lossbench = if_executable(directory / "lossbench");
    layout.lossbench_bench = if_executable(directory / "lossbench_bench");
    layout.gpu_test_directory = prefix / "libexec" / "lossbench";
    layout.gpu_tests = gpu_tests_under(layout.gpu_test_directory, false);
    find_scripts(layout, prefix / "share" / "lossbench", prefix / "share" / "lossbench");
  } else if (directory.filename() == "cli" && directory.parent_path().filename() == "host") {
    // A build tree: BUILD/host/cli/lossbench, found relative to the binary
    // (a moved build tree still works); the scripts from the source tree.
    const fs::path build = directory.parent_path().parent_path();
    layout.kind = "build tree";
    layout.lossbench = if_executable(directory / "lossbench");
    layout.lossbench_bench = if_executable(build / "bench" / "lossbench_bench");
    layout.gpu_test_directory = build / "tests";
    layout.gpu_tests = gpu_tests_under(layout.gpu_test_directory, true);
    find_scripts(layout, source_directory / "bench", source_directory / "docs");
  } else {
    throw InputError("report: cannot find lossbench's programs from " + self.string() +
                     ": expected PREFIX/bin/lossbench with PREFIX/share/lossbench (an install) or "
                     "BUILD/host/cli/lossbench (a build tree)");
  }
  if (layout.lossbench.empty()) {
    throw InputError("report: no executable lossbench in " + directory.string());
  }
  return layout;
}

}  // namespace lossbench::report
