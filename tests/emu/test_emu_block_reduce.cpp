// The emulator's cub::BlockReduce and cub::WarpReduce against serial sums.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
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
