// threadIdx, blockIdx, blockDim and gridDim in 1-D, 2-D and 3-D launches.
#include <gtest/gtest.h>

#include <vector>

#include "backends/launch/kernel_launch.cuh"
#include "kernels/indexing.cuh"

namespace lossbench {
namespace {

void expect_indices(dim3 grid, dim3 block) {
  const unsigned per_block = block.x * block.y * block.z;
  const unsigned blocks = grid.x * grid.y * grid.z;
  std::vector<unsigned> out(6 * per_block * blocks, 0xdeadbeef);
  launch(&test_kernels::record_indices, grid, block, 0, default_stream(), out.data());
  for (unsigned b = 0; b < blocks; ++b) {
    for (unsigned t = 0; t < per_block; ++t) {
      const unsigned* got = &out[6 * (b * per_block + t)];
      const unsigned expected[6] = {t % block.x, t / block.x % block.y, t / (block.x * block.y),
                                    b % grid.x,  b / grid.x % grid.y,  b / (grid.x * grid.y)};
      for (int k = 0; k < 6; ++k) {
        ASSERT_EQ(got[k], expected[k]) << "grid (" << grid.x << "," << grid.y << "," << grid.z << ") block ("
                                       << block.x << "," << block.y << "," << block.z << ") block " << b
                                       << " thread " << t << " component " << k;
      }
    }
  }
}

TEST(EmuIndexing, OneDimensional) { expect_indices(dim3(5), dim3(96)); }
TEST(EmuIndexing, TwoDimensional) { expect_indices(dim3(3, 2), dim3(16, 8)); }
TEST(EmuIndexing, ThreeDimensional) { expect_indices(dim3(2, 3, 2), dim3(4, 3, 5)); }

}  // namespace
}  // namespace lossbench
