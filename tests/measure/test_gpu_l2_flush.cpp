// The L2 flush of the cold benchmarks really rewrites the whole L2-sized
// buffer (a swapped cudaMemset count, a known bug in public benchmark code,
// flushes nothing), and the buffer is as large as the L2 the device reports.
// Runs on a GPU; skips, saying why, without one.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "measure/gpu_timing.cuh"
#include "lossbench/core/backend.hpp"

namespace lossbench::measure {
namespace {

TEST(GpuL2Flush, RewritesEveryByteOfAnL2SizedBuffer) {
  const BackendAvailability cuda = backend_availability(Backend::cuda);
  if (!cuda.available) GTEST_SKIP() << "no GPU to run on: " << cuda.reason;
  L2Flush flusher;
  ASSERT_GT(device_l2_bytes(), 0u);
  EXPECT_EQ(flusher.bytes(), device_l2_bytes());
  std::vector<unsigned char> host(flusher.bytes());
  for (const unsigned char value : {static_cast<unsigned char>(0xa5), static_cast<unsigned char>(0x5a)}) {
    flusher.flush(nullptr, value);
    ASSERT_EQ(cudaMemcpy(host.data(), flusher.data(), host.size(), cudaMemcpyDeviceToHost), cudaSuccess);
    const auto wrong = std::find_if(host.begin(), host.end(), [&](unsigned char b) { return b != value; });
    EXPECT_EQ(wrong, host.end()) << "byte " << (wrong - host.begin()) << " of " << host.size()
                                 << " was not rewritten with " << int{value};
  }
}

}  // namespace
}  // namespace lossbench::measure
