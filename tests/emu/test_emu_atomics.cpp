// Atomics from many blocks, with blocks on one and on several CPU threads.
#include <gtest/gtest.h>

#include "emu/options.hpp"
#include "kernels/atomics.cuh"
#include "backends/launch/kernel_launch.cuh"

namespace lossbench {
namespace {

class EmuAtomics : public ::testing::TestWithParam<unsigned> {
 protected:
  void SetUp() override { emu::set_workers(GetParam()); }
  void TearDown() override { emu::set_workers(1); }
};

TEST_P(EmuAtomics, EveryThreadOfEveryBlockCounts) {
  constexpr unsigned kBlocks = 64;
  constexpr unsigned kThreads = 128;
  constexpr int kTotal = static_cast<int>(kBlocks * kThreads);
  test_kernels::AtomicCounters c{0, 0, 0, 0.0f, 0.0, -1, 1, 0, -1, 0, -1, 0};
  launch(&test_kernels::hammer_atomics, dim3(kBlocks), dim3(kThreads), 0, default_stream(), &c);
  EXPECT_EQ(c.add_int, kTotal);
  EXPECT_EQ(c.add_unsigned, 2u * kTotal);
  EXPECT_EQ(c.add_ull, 3ull * kTotal);
  EXPECT_EQ(c.add_float, 0.5f * kTotal);
  EXPECT_EQ(c.add_double, 0.25 * kTotal);
  EXPECT_EQ(c.max_int, kTotal - 1);
  EXPECT_EQ(c.min_int, -(kTotal - 1));
  EXPECT_EQ(c.inc_wrapping, static_cast<unsigned>(kTotal % 10));  // wraps after 9
  EXPECT_GE(c.cas_claimed, 0);
  EXPECT_LT(c.cas_claimed, kTotal);
  EXPECT_EQ(c.cas_winners, 1) << "exactly one compare-and-swap finds -1";
  EXPECT_GE(c.exch_last, 0);
  EXPECT_LT(c.exch_last, kTotal);
  // Each exchange returns the value it replaced: the initial -1 and every id
  // but the last one standing, each exactly once.
  const long long all_ids = static_cast<long long>(kTotal) * (kTotal - 1) / 2;
  EXPECT_EQ(c.exch_seen, static_cast<unsigned long long>(-1 + all_ids - c.exch_last));
}

INSTANTIATE_TEST_SUITE_P(Workers, EmuAtomics, ::testing::Values(1u, 2u, 4u));

}  // namespace
}  // namespace lossbench
