#include "process_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "lossbench/data/atomic_file.hpp"

extern char** environ;

namespace lossbench::report {
namespace {

using Clock = std::chrono::steady_clock;

// How often a running child is polled: short enough that a report does not
// wait noticeably after a quick command, long enough to cost nothing.
constexpr auto kPollInterval = std::chrono::milliseconds(20);
// Between SIGTERM and SIGKILL: time for a benchmark to flush its output.
constexpr auto kTerminateGrace = std::chrono::seconds(2);

// The parent's environment with `overrides` set, as "NAME=value" strings.
std::vector<std::string> child_environment(const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::map<std::string, std::string> variables;
  std::vector<std::string> order;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const std::size_t equals = text.find('=');
    if (equals == std::string::npos) continue;
    const std::string name = text.substr(0, equals);
    if (variables.emplace(name, text.substr(equals + 1)).second) order.push_back(name);
  }
  for (const auto& [name, value] : overrides) {
    if (variables.find(name) == variables.end()) order.push_back(name);
    variables[name] = value;
  }
  std::vector<std::string> result;
  for (const std::string& name : order) result.push_back(name + "=" + variables[name]);
  return result;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Whether `pid` has ended, without reaping it: while it is a zombie its
// process group id cannot be reused, so the group can still be killed safely.
bool has_ended(pid_t pid) {
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return true;  // ECHILD: gone
  return info.si_pid == pid;
}

bool wait_until_ended(pid_t pid, Clock::time_point until) {
  while (!has_ended(pid)) {
    if (Clock::now() >= until) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
  return true;
}

// Spawn attributes: a new process group led by the child, default signal
// dispositions (the report may ignore SIGPIPE or catch SIGINT) and an empty mask.
class SpawnAttributes {
 public:
  SpawnAttributes() {
    posix_spawnattr_init(&attributes_);
    posix_spawnattr_setflags(&attributes_, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(&attributes_, 0);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (const int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&defaults, s);
    posix_spawnattr_setsigdefault(&attributes_, &defaults);
    sigset_t empty;
    sigemptyset(&empty);
    posix_spawnattr_setsigmask(&attributes_, &empty);
  }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attributes_); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
  const posix_spawnattr_t* get() const { return &attributes_; }

 private:
  posix_spawnattr_t attributes_;
};

// stdin from /dev/null, stdout appended to `log`, stderr onto stdout.
class SpawnFileActions {
 public:
  explicit SpawnFileActions(const std::string& log) {
    posix_spawn_file_actions_init(&actions_);
    posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions_, STDOUT_FILENO, log.c_str(), O_WRONLY | O_APPEND, 0);
    posix_spawn_file_actions_adddup2(&actions_, STDOUT_FILENO, STDERR_FILENO);
  }
  ~SpawnFileActions() { posix_spawn_file_actions_destroy(&actions_); }
  SpawnFileActions(const SpawnFileActions&) = delete;
  SpawnFileActions& operator=(const SpawnFileActions&) = delete;
  const posix_spawn_file_actions_t* get() const { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

std::string command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& a : argv) {
    if (!line.empty()) line += ' ';
    line += a.find_first_of(" \t'\"") == std::string::npos ? a : "'" + a + "'";
  }
  return line;
}

}  // namespace

std::string ProcessOutcome::describe() const {
  std::ostringstream text;
  switch (end) {
    case ProcessEnd::exited: text << "exit status " << exit_code; break;
    case ProcessEnd::signalled:
      text << "killed by signal " << signal_number << " (" << strsignal(signal_number) << ")";
      break;
    case ProcessEnd::timed_out: text << "timed out after " << static_cast<long>(seconds + 0.5) << " s: killed"; break;
    case ProcessEnd::interrupted: text << "interrupted after " << static_cast<long>(seconds + 0.5) << " s: killed"; break;
    case ProcessEnd::not_started: text << "could not be started: " << start_error; break;
  }
  return text.str();
}

std::filesystem::path find_on_path(const std::string& name) {
  const auto executable = [](const std::filesystem::path& p) {
    struct stat info{};
    return ::stat(p.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) return executable(name) ? std::filesystem::path(name) : "";
  const char* path = std::getenv("PATH");
  std::istringstream directories(path == nullptr ? "" : path);
  for (std::string directory; std::getline(directories, directory, ':');) {
    const std::filesystem::path candidate = std::filesystem::path(directory.empty() ? "." : directory) / name;
    if (executable(candidate)) return candidate;
  }
  return "";
}

ProcessOutcome run_process(const ProcessSpec& spec, const std::function<bool()>& stop_requested) {
  ProcessOutcome outcome;
  AtomicFile log(spec.log);
  log.write("$ " + command_line(spec.argv) + "\n");
  if (spec.argv.empty()) {
    outcome.start_error = "no command";
    return outcome;
  }
  const std::filesystem::path program = find_on_path(spec.argv[0]);
  if (program.empty()) {
    outcome.start_error = spec.argv[0] + ": no such executable" +
                          (spec.argv[0].find('/') == std::string::npos ? " on PATH" : "");
    log.write("report: " + outcome.start_error + "\n");
    log.commit();
    return outcome;
  }

  std::vector<std::string> arguments = spec.argv;
  std::vector<std::string> environment = child_environment(spec.environment);
  std::vector<char*> argv = c_strings(arguments);
  std::vector<char*> envp = c_strings(environment);
  const SpawnAttributes attributes;
  const SpawnFileActions actions(log.temporary_path().string());

  const auto start = Clock::now();
  pid_t pid = 0;
  const int error = posix_spawn(&pid, program.c_str(), actions.get(), attributes.get(), argv.data(), envp.data());
  if (error != 0) {
    outcome.start_error = program.string() + ": " + std::strerror(error);
    log.write("report: " + outcome.start_error + "\n");
    log.commit();
    return outcome;
  }

  const auto deadline = start + spec.time_limit;
  bool killed = false;
  while (!has_ended(pid)) {
    const bool stop = stop_requested && stop_requested();
    if (stop || Clock::now() >= deadline) {
      outcome.end = stop ? ProcessEnd::interrupted : ProcessEnd::timed_out;
      ::kill(-pid, SIGTERM);
      wait_until_ended(pid, Clock::now() + kTerminateGrace);
      killed = true;
      break;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  // Whatever the command left running in its group (a background helper, or
  // everything after a timeout) goes with it.
  ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!killed) {
    if (WIFEXITED(status)) {
      outcome.end = ProcessEnd::exited;
      outcome.exit_code = WEXITSTATUS(status);
    } else {
      outcome.end = ProcessEnd::signalled;
      outcome.signal_number = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    }
  }
  outcome.output_tail = tail_of_file(log.temporary_path());
  log.commit();
  return outcome;
}

std::string tail_of_file(const std::filesystem::path& file, std::size_t max_lines, std::size_t max_bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff start = size > static_cast<std::streamoff>(max_bytes) ? size - static_cast<std::streamoff>(max_bytes) : 0;
  in.seekg(start);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (start > 0) {  // drop the partial first line
    const std::size_t newline = text.find('\n');
    text = newline == std::string::npos ? text : text.substr(newline + 1);
  }
  std::size_t lines = 0;
  std::size_t position = text.size();
  if (position > 0 && text[position - 1] == '\n') --position;
  while (position > 0) {
    if (text[position - 1] == '\n' && ++lines == max_lines) break;
    --position;
  }
  return text.substr(position);
}

}  // namespace lossbench::report
