// The report's child processes: one that succeeds, one that fails, one that
// outlives its limit and is killed with everything it started, one that
// crashes, one that cannot start; the log holds stdout and stderr together.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "common/test_directory.hpp"
#include "process_runner.hpp"

namespace lossbench::report {
namespace {

using namespace std::chrono_literals;

class ProcessRunner : public ::testing::Test {
 protected:
  ProcessOutcome run_shell(const std::string& script, std::chrono::milliseconds limit = 10s,
                           const std::function<bool()>& stop = {}) {
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", script};
    spec.log = dir_ / "child.log";
    spec.time_limit = limit;
    spec.environment = {{"LOSSBENCH_RUNNER_TEST", "from the report"}};
    return run_process(spec, stop);
  }
  std::string log() const { return dir_.contents("child.log"); }

  // Whether process `pid` is still running (a zombie left to a non-reaping
  // init counts as gone: it runs nothing).
  static bool running(const std::string& pid_text) {
    std::ifstream stat("/proc/" + pid_text + "/stat");
    std::string pid, name, state;
    if (!(stat >> pid >> name >> state)) return false;
    return state != "Z" && state != "X";
  }
  // Polls `running` for up to two seconds: init may take a moment to reap.
  static bool still_running_after_a_while(const std::string& pid_text) {
    for (int i = 0; i < 100 && running(pid_text); ++i) std::this_thread::sleep_for(20ms);
    return running(pid_text);
  }

  testing::TestDirectory dir_;
};

TEST_F(ProcessRunner, ASucceedingChildHasItsOutputAndErrorsInTheLog) {
  const ProcessOutcome o = run_shell("echo out; echo err >&2; echo \"$LOSSBENCH_RUNNER_TEST\"");
  EXPECT_TRUE(o.succeeded()) << o.describe();
  EXPECT_EQ(o.end, ProcessEnd::exited);
  EXPECT_EQ(o.describe(), "exit status 0");
  const std::string text = log();
  EXPECT_EQ(text.rfind("$ /bin/sh -c ", 0), 0u) << "the log starts with the command:\n" << text;
  EXPECT_NE(text.find("\nout\nerr\nfrom the report\n"), std::string::npos) << text;
  EXPECT_NE(o.output_tail.find("from the report"), std::string::npos);
  EXPECT_EQ(dir_.listing(), std::vector<std::string>{"child.log"}) << "no temporary file is left";
}

TEST_F(ProcessRunner, AFailingChildReportsItsExitStatus) {
  const ProcessOutcome o = run_shell("echo 'case 7 FAIL'; exit 3");
  EXPECT_FALSE(o.succeeded());
  EXPECT_EQ(o.end, ProcessEnd::exited);
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.describe(), "exit status 3");
  EXPECT_NE(o.output_tail.find("case 7 FAIL"), std::string::npos);
}

TEST_F(ProcessRunner, AChildPastItsLimitIsKilledWithWhatItStarted) {
  const auto start = std::chrono::steady_clock::now();
  const ProcessOutcome o = run_shell("sleep 60 & echo $! > " + (dir_ / "pid").string() + "; echo started; wait", 500ms);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(o.end, ProcessEnd::timed_out) << o.describe();
  EXPECT_FALSE(o.succeeded());
  EXPECT_LT(waited, 5s) << "the limit was 0.5 s, the grace after SIGTERM 2 s";
  EXPECT_NE(o.describe().find("timed out after"), std::string::npos) << o.describe();
  EXPECT_NE(o.output_tail.find("started"), std::string::npos);
  const std::string pid = dir_.contents("pid");
  ASSERT_FALSE(pid.empty());
  EXPECT_FALSE(still_running_after_a_while(pid.substr(0, pid.find('\n')))) << "the background sleep survived";
}

TEST_F(ProcessRunner, WhatAChildLeavesRunningIsKilledWhenItExits) {
  const ProcessOutcome o = run_shell("sleep 60 & echo $! > " + (dir_ / "pid").string() + "; exit 0");
  EXPECT_TRUE(o.succeeded()) << o.describe();
  const std::string pid = dir_.contents("pid");
  ASSERT_FALSE(pid.empty());
  EXPECT_FALSE(still_running_after_a_while(pid.substr(0, pid.find('\n'))));
}

TEST_F(ProcessRunner, ACrashIsReportedWithItsSignal) {
  const ProcessOutcome o = run_shell("echo before; kill -SEGV $$");
  EXPECT_EQ(o.end, ProcessEnd::signalled) << o.describe();
  EXPECT_EQ(o.signal_number, SIGSEGV);
  EXPECT_NE(o.describe().find("killed by signal 11"), std::string::npos) << o.describe();
  EXPECT_NE(o.output_tail.find("before"), std::string::npos);
}

TEST_F(ProcessRunner, AMissingProgramIsNotStartedAndSaysWhy) {
  ProcessSpec spec;
  spec.argv = {(dir_ / "no-such-program").string()};
  spec.log = dir_ / "child.log";
  spec.time_limit = 5s;
  const ProcessOutcome o = run_process(spec);
  EXPECT_EQ(o.end, ProcessEnd::not_started);
  EXPECT_NE(o.describe().find("no such executable"), std::string::npos) << o.describe();
  EXPECT_NE(log().find("no such executable"), std::string::npos) << "the log says so too";
}

TEST_F(ProcessRunner, AStopRequestEndsTheChild) {
  const auto start = std::chrono::steady_clock::now();
  const ProcessOutcome o = run_shell("sleep 60", 60s, [&] { return std::chrono::steady_clock::now() - start > 300ms; });
  EXPECT_EQ(o.end, ProcessEnd::interrupted) << o.describe();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(TailOfFile, KeepsTheLastLines) {
  testing::TestDirectory dir;
  std::string text;
  for (int i = 1; i <= 100; ++i) text += "line " + std::to_string(i) + "\n";
  dir.put("log", text);
  EXPECT_EQ(tail_of_file(dir / "log", 3), "line 98\nline 99\nline 100\n");
  const std::string bounded = tail_of_file(dir / "log", 50, 20);
  EXPECT_LE(bounded.size(), 20u);
  EXPECT_EQ(bounded.rfind("line", 0), 0u) << "starts on a whole line: " << bounded;
  EXPECT_EQ(tail_of_file(dir / "absent"), "");
}

TEST(FindOnPath, FindsAShellAndNotAnInventedName) {
  EXPECT_FALSE(find_on_path("sh").empty());
  EXPECT_TRUE(find_on_path("lossbench-no-such-tool-here").empty());
  EXPECT_EQ(find_on_path("/bin/sh"), std::filesystem::path("/bin/sh"));
}

}  // namespace
}  // namespace lossbench::report
