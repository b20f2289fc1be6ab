// The emulator's cub::BlockReduce and cub::WarpReduce against serial sums.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "kernels/block_reduce.cuh"
#include "backends/launch/kernel_launch.cuh"

namespace lossbench {
namespace {

template <int kThreads>
void check_block_sum(int valid_items) {
  constexpr int kBlocks = 3;
  std::mt19937 rng(kThreads * 1000 + valid_items);
  std::uniform_int_distribution<int> value(-1000, 1000);
  std::vector<int> in(kBlocks * kThreads);
  for (int& v : in) v = value(rng);
  std::vector<int> out(kBlocks, 0x7fffffff);
  launch(&test_kernels::block_sum<kThreads>, dim3(kBlocks), dim3(kThreads), 0, default_stream(), in.data(),
         valid_items, out.data());
  for (int b = 0; b < kBlocks; ++b) {
    const int valid = std::min(valid_items, kThreads);
    const int expected = std::accumulate(in.begin() + b * kThreads, in.begin() + b * kThreads + valid, 0);
    EXPECT_EQ(out[b], expected) << kThreads << " threads, " << valid_items << " valid items, block " << b;
  }
}

TEST(EmuBlockReduce, SumOverManyBlockSizesAndValidItemCounts) {
  for (const int valid : {1, 2, 31, 32, 33, 64}) check_block_sum<64>(valid);
  for (const int valid : {1, 17, 95, 96}) check_block_sum<96>(valid);
  for (const int valid : {1, 100, 255, 256}) check_block_sum<256>(valid);
  for (const int valid : {1, 513, 1024}) check_block_sum<1024>(valid);
  check_block_sum<1>(1);
  check_block_sum<33>(33);
}

TEST(EmuBlockReduce, ReduceWithAFunctor) {
  std::vector<float> in(128);
  for (int i = 0; i < 128; ++i) in[i] = static_cast<float>((i * 37) % 128) - 60.0f;
  float out = 0;
  launch(&test_kernels::block_max<128>, dim3(1), dim3(128), 0, default_stream(), in.data(), &out);
  EXPECT_EQ(out, *std::max_element(in.begin(), in.end()));
}

// CUB defines a block reduction's result in thread 0 only; the emulator
// hands the other threads a poison value (NaN for floats) so that a kernel
// relying on it fails its tests instead of working by accident.
TEST(EmuBlockReduce, OnlyThreadZeroGetsTheResult) {
  std::vector<float> in(64), out(64, 0.0f);
  std::iota(in.begin(), in.end(), 1.0f);
  launch(&test_kernels::block_sum_every_thread<64>, dim3(1), dim3(64), 0, default_stream(), in.data(), out.data());
  EXPECT_EQ(out[0], 64.0f * 65.0f / 2.0f);
  for (int t = 1; t < 64; ++t) EXPECT_TRUE(std::isnan(out[t])) << "thread " << t << " got " << out[t];
}

// A BlockReduce<T, N> in a block that is not 1-D with N threads reduces the
// wrong threads in CUB; the emulator refuses it.
TEST(EmuBlockReduce, ABlockOfAnotherShapeIsAnError) {
  std::vector<float> in(128), out(128);
  for (const dim3 block : {dim3(128), dim3(32, 2)}) {
    try {
      launch(&test_kernels::block_sum_every_thread<64>, dim3(1), block, 0, default_stream(), in.data(), out.data());
      ADD_FAILURE() << "BlockReduce for 64 threads ran in a block of " << block.x << " x " << block.y;
    } catch (const emu::EmuError& e) {
      EXPECT_NE(std::string(e.what()).find("cub::BlockReduce for 64 threads used in a block of"), std::string::npos)
          << e.what();
    }
  }
}

TEST(EmuBlockReduce, WarpReducePerWarp) {
  std::vector<int> in(256);
  std::iota(in.begin(), in.end(), -100);
  std::vector<int> out(8, 0);
  launch(&test_kernels::warp_sums, dim3(1), dim3(256), 0, default_stream(), in.data(), out.data());
  for (int w = 0; w < 8; ++w) {
    EXPECT_EQ(out[w], std::accumulate(in.begin() + 32 * w, in.begin() + 32 * (w + 1), 0)) << "warp " << w;
  }
}

}  // namespace
}  // namespace lossbench
