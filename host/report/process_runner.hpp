#pragma once
// Runs one command of a report as a child process that cannot take the
// report down: its own process group (so that a timeout kills whatever it
// started, ncu's target included), stdin from /dev/null, stdout and stderr
// together into a log file, and a time limit after which the group gets
// SIGTERM, then SIGKILL two seconds later.
//
// The log is written through an AtomicFile: the child appends to its hidden
// temporary file, which is renamed to the log's name when the child is gone,
// so a log is either the whole output of a finished command or absent.
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace lossbench::report {

struct ProcessSpec {
  /// argv[0] is a path, or a bare name looked up on PATH.
  std::vector<std::string> argv;
  /// Set in the child's environment, over the report's own.
  std::vector<std::pair<std::string, std::string>> environment;
  std::filesystem::path log;
  std::chrono::milliseconds time_limit{0};
};

enum class ProcessEnd {
  exited,       // exit_code holds its status
  signalled,    // killed by signal_number, not by us (a crash)
  timed_out,    // still running at the time limit: killed
  interrupted,  // the report was asked to stop (SIGINT, SIGTERM): killed
  not_started,  // the command could not be started: start_error says why
};

struct ProcessOutcome {
  ProcessEnd end = ProcessEnd::not_started;
  int exit_code = 0;
  int signal_number = 0;
  double seconds = 0;
  std::string start_error;
  /// The last lines of the log, for a report to quote when the command failed.
  std::string output_tail;

  bool succeeded() const { return end == ProcessEnd::exited && exit_code == 0; }
  /// "exit status 3", "killed by SIGSEGV (Segmentation fault)", "timed out after 30 s: killed", ...
  std::string describe() const;
};

/// Runs `spec` to its end and returns how it ended. `stop_requested`, polled
/// while the child runs, ends it early (ProcessEnd::interrupted) when it
/// returns true. Throws InputError only when the log cannot be created.
ProcessOutcome run_process(const ProcessSpec& spec, const std::function<bool()>& stop_requested = {});

/// The last `max_lines` lines of a file, at most `max_bytes` of them; empty
/// when it cannot be read.
std::string tail_of_file(const std::filesystem::path& file, std::size_t max_lines = 30, std::size_t max_bytes = 4000);

/// The full path of `name` on PATH (or `name` itself when it has a '/' and
/// is executable), empty when there is none.
std::filesystem::path find_on_path(const std::string& name);

}  // namespace lossbench::report
