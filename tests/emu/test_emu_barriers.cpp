// Barrier bugs: a missing __syncthreads is caught by the schedules, a
// divergent one is an error naming kernel, block and thread; early exits
// before a barrier are legal.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "emu/options.hpp"
#include "kernels/barrier_bugs.cuh"
#include "backends/launch/kernel_launch.cuh"

namespace lossbench {
namespace {

using test_kernels::kBugThreads;

class EmuBarriers : public ::testing::Test {
 protected:
  void TearDown() override { emu::set_schedule({}); }

  // Runs a neighbour kernel over 4 blocks; true when every output is right.
  static bool neighbours_right(void (*kernel)(int*)) {
    std::vector<int> out(kBugThreads, -1);
    for (int block = 0; block < 4; ++block) {
      launch(kernel, dim3(1), dim3(kBugThreads), 0, default_stream(), out.data());
      for (int t = 0; t < kBugThreads; ++t) {
        if (out[t] != (t + 1) % kBugThreads + 1) return false;
      }
    }
    return true;
  }
};

TEST_F(EmuBarriers, MissingBarrierIsCaughtByRandomSchedules) {
  int caught = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    emu::set_schedule({emu::Schedule::Kind::random, seed});
    if (!neighbours_right(&test_kernels::neighbour_without_barrier)) ++caught;
  }
  EXPECT_GT(caught, 0) << "no random schedule of 8 exposed the missing __syncthreads";
}

TEST_F(EmuBarriers, CorrectKernelIsRightUnderEverySchedule) {
  std::vector<emu::Schedule> schedules = {{emu::Schedule::Kind::forward, 0}, {emu::Schedule::Kind::reverse, 0}};
  for (std::uint64_t seed = 1; seed <= 8; ++seed) schedules.push_back({emu::Schedule::Kind::random, seed});
  for (const emu::Schedule& s : schedules) {
    emu::set_schedule(s);
    EXPECT_TRUE(neighbours_right(&test_kernels::neighbour_with_barrier)) << "schedule " << s.to_string();
  }
}

TEST_F(EmuBarriers, DivergentBarrierIsAnErrorNamingKernelBlockAndThread) {
  std::vector<int> out(kBugThreads);
  try {
    launch(&test_kernels::divergent_barrier, dim3(2), dim3(kBugThreads), 0, default_stream(), out.data());
    ADD_FAILURE() << "a divergent __syncthreads completed";
  } catch (const emu::EmuError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("divergent __syncthreads"), std::string::npos) << message;
    EXPECT_NE(message.find("divergent_barrier"), std::string::npos) << message;
    EXPECT_NE(message.find("block (0, 0, 0)"), std::string::npos) << message;
    EXPECT_NE(message.find("thread ("), std::string::npos) << message;
    EXPECT_NE(message.find("barrier_bugs.cuh"), std::string::npos) << message;
  }
}

TEST_F(EmuBarriers, ThreadsThatExitStopCounting) {
  std::vector<int> in(kBugThreads);
  for (int t = 0; t < kBugThreads; ++t) in[t] = t;
  int out = -1;
  launch(&test_kernels::early_exit_then_barrier, dim3(1), dim3(kBugThreads), 0, default_stream(), in.data(), 10,
         &out);
  EXPECT_EQ(out, 45);  // 0 + 1 + ... + 9
}

TEST_F(EmuBarriers, ScheduleParsesAndRejects) {
  EXPECT_EQ(emu::Schedule::parse("random:42").seed, 42u);
  EXPECT_EQ(emu::Schedule::parse("reverse").kind, emu::Schedule::Kind::reverse);
  EXPECT_EQ(emu::Schedule::parse("random:7").to_string(), "random:7");
  EXPECT_THROW(emu::Schedule::parse("random:"), InputError);
  EXPECT_THROW(emu::Schedule::parse("sideways"), InputError);
}

}  // namespace
}  // namespace lossbench
