// An out-of-bounds write by an emulated kernel, which AddressSanitizer must
// catch. Built and registered only with LOSSBENCH_SANITIZE (the asan preset);
// the death test expects ASan's report, so it cannot pass without ASan.
#include <gtest/gtest.h>

#include <memory>

#include "kernels/elementwise.cuh"
#include "backends/launch/kernel_launch.cuh"

namespace lossbench {
namespace {

TEST(EmuOutOfBoundsDeathTest, AddressSanitizerCatchesAWritePastTheEnd) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        const int n = 100;
        std::unique_ptr<float[]> out(new float[n]);
        launch(&test_kernels::write_one_past_the_end, dim3(1), dim3(128), 0, default_stream(), out.get(), n);
      },
      "heap-buffer-overflow");
}

}  // namespace
}  // namespace lossbench
