// The emulator's cub::DeviceReduce::Sum (emu/cub_subset.hpp), which the
// unfused baseline reduces with: CUB's two-call protocol, and a sum in index
// order that accumulates in the output's type (CUB's accumulator for Sum is
// the type of init + input, init having the output's type).
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

#include "kernels/common/cuda_compat.cuh"

namespace lossbench {
namespace {

TEST(EmuDeviceReduce, FirstCallOnlyReportsTheTemporaryStorageItNeeds) {
  const std::vector<float> in = {1.0f, 2.0f};
  float out = -1.0f;
  std::size_t bytes = 0;
  EXPECT_EQ(cub::DeviceReduce::Sum(nullptr, bytes, in.data(), &out, 2), cudaSuccess);
  EXPECT_GT(bytes, 0u);
  EXPECT_EQ(out, -1.0f) << "the size query wrote the output";
}

TEST(EmuDeviceReduce, SumsEveryItem) {
  for (const int n : {0, 1, 255, 256, 257, 4097}) {
    std::vector<std::int64_t> in(n);
    std::iota(in.begin(), in.end(), -100);
    std::int64_t out = -1;
    std::size_t bytes = 0;
    ASSERT_EQ(cub::DeviceReduce::Sum(nullptr, bytes, in.data(), &out, n), cudaSuccess);
    std::vector<unsigned char> temp(bytes);
    ASSERT_EQ(cub::DeviceReduce::Sum(temp.data(), bytes, in.data(), &out, n, nullptr), cudaSuccess);
    EXPECT_EQ(out, std::accumulate(in.begin(), in.end(), std::int64_t{0})) << "n = " << n;  // 0 for n = 0, as CUB
  }
}

TEST(EmuDeviceReduce, FloatsAddInIndexOrderInTheOutputsType) {
  // In float, in index order: 1e8 + 1 rounds back to 1e8 (float's spacing
  // there is 8), − 1e8 gives 0, + 1 gives 1. A pairwise tree, as CUB's on a
  // GPU, gives (1e8 + 1) + (−1e8 + 1) = 0; a double accumulator 2.
  const std::vector<float> in = {1e8f, 1.0f, -1e8f, 1.0f};
  std::size_t bytes = 0;
  cub::DeviceReduce::Sum(nullptr, bytes, in.data(), static_cast<float*>(nullptr), 4);
  std::vector<unsigned char> temp(bytes);
  float as_float = -1.0f;
  ASSERT_EQ(cub::DeviceReduce::Sum(temp.data(), bytes, in.data(), &as_float, 4), cudaSuccess);
  EXPECT_EQ(as_float, 1.0f);
  // Into a double, the same floats are added in double: exactly 2.
  double as_double = -1.0;
  ASSERT_EQ(cub::DeviceReduce::Sum(temp.data(), bytes, in.data(), &as_double, 4), cudaSuccess);
  EXPECT_EQ(as_double, 2.0);
}

}  // namespace
}  // namespace lossbench
