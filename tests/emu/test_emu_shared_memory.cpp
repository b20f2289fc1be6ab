// Static and dynamic shared memory are per block, and dynamic shared memory
// starts poisoned.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "backends/launch/kernel_launch.cuh"
#include "kernels/shared_memory.cuh"

namespace lossbench {
namespace {

TEST(EmuSharedMemory, StaticAndDynamicArePerBlock) {
  constexpr int kBlocks = 5;
  constexpr int n = kBlocks * test_kernels::kSharedThreads;
  std::vector<int> in(n), out_static(n, -1), out_dynamic(n, -1);
  for (int i = 0; i < n; ++i) in[i] = 3 * i + 1;
  launch(&test_kernels::reverse_through_shared, dim3(kBlocks), dim3(test_kernels::kSharedThreads),
         test_kernels::kSharedThreads * sizeof(int), default_stream(), in.data(), out_static.data(),
         out_dynamic.data());
  for (int b = 0; b < kBlocks; ++b) {
    for (int t = 0; t < test_kernels::kSharedThreads; ++t) {
      const int i = b * test_kernels::kSharedThreads + t;
      const int mirrored = b * test_kernels::kSharedThreads + test_kernels::kSharedThreads - 1 - t;
      ASSERT_EQ(out_static[i], in[mirrored]) << "block " << b << " thread " << t;
      ASSERT_EQ(out_dynamic[i], 2 * in[mirrored]) << "block " << b << " thread " << t;
    }
  }
}

TEST(EmuSharedMemory, UnwrittenStaticSharedMemoryIsPoisonedInEveryBlock) {
  std::vector<unsigned> out(2 * 64, 0);
  launch(&test_kernels::read_unwritten_static_shared, dim3(2), dim3(64), 0, default_stream(), out.data());
  // Block 0 wrote every slot; block 1 only slot 0, so its other slots must be poison, not block 0's 7s.
  EXPECT_EQ(out[0], 42u);
  EXPECT_EQ(out[1], 7u);
  EXPECT_EQ(out[64], 42u);
  for (int t = 1; t < 64; ++t) EXPECT_EQ(out[64 + t], 0xffffffffu) << "block 1 slot " << t;
}

TEST(EmuSharedMemory, UnwrittenDynamicSharedMemoryIsPoisoned) {
  std::vector<unsigned> out(64, 0);
  launch(&test_kernels::read_unwritten_dynamic_shared, dim3(1), dim3(64), 64 * sizeof(unsigned), default_stream(),
         out.data());
  for (unsigned v : out) EXPECT_EQ(v, 0xffffffffu);
}

// Above 48 KiB of dynamic shared memory a kernel must opt in with
// cudaFuncSetAttribute, as on a GPU, up to the emulated device's 227 KiB.
TEST(EmuSharedMemory, MoreThan48KiBNeedsTheKernelToOptIn) {
  constexpr int kWords = 64 * 1024 / sizeof(unsigned);
  const auto kernel = &test_kernels::last_dynamic_shared_word;
  std::vector<unsigned> out(32, 0);
  try {
    launch(kernel, dim3(1), dim3(32), kWords * sizeof(unsigned), default_stream(), out.data(), kWords);
    ADD_FAILURE() << "a 64 KiB launch was accepted without opting in";
  } catch (const emu::EmuError& e) {
    EXPECT_NE(std::string(e.what()).find("cudaErrorInvalidValue"), std::string::npos) << e.what();
  }
  EXPECT_NE(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, 228 * 1024), cudaSuccess);
  ASSERT_EQ(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, kWords * sizeof(unsigned)),
            cudaSuccess);
  launch(kernel, dim3(1), dim3(32), kWords * sizeof(unsigned), default_stream(), out.data(), kWords);
  for (const unsigned v : out) EXPECT_EQ(v, 0x600du);
}

}  // namespace
}  // namespace lossbench
