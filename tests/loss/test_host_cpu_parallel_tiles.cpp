// The cpu backend's tile loop: every tile runs once on any thread count, a
// small call stays on one thread, and an exception thrown by a tile reaches
// the caller instead of ending the process from inside an OpenMP region.
#include <gtest/gtest.h>

#include <atomic>
#include <new>
#include <vector>

#include "backends/cpu/parallel_tiles.hpp"
#include "lossbench/core/cpu_threads.hpp"

namespace lossbench::detail {
namespace {

class ParallelTiles : public ::testing::Test {
 protected:
  void TearDown() override { set_cpu_threads(0); }
};

TEST_F(ParallelTiles, EveryTileRunsOnceForOneToFourThreads) {
  for (int threads = 1; threads <= 4; ++threads) {
    set_cpu_threads(threads);
    for (const std::int64_t tiles : {0, 1, 7, 8, 37}) {
      std::vector<std::atomic<int>> runs(static_cast<std::size_t>(tiles));
      for_each_tile(tiles, [&](std::int64_t t) { runs[static_cast<std::size_t>(t)].fetch_add(1); });
      for (std::int64_t t = 0; t < tiles; ++t) EXPECT_EQ(runs[static_cast<std::size_t>(t)].load(), 1) << "tile " << t;
    }
  }
}

TEST_F(ParallelTiles, AThrowingTileReachesTheCaller) {
  for (int threads = 1; threads <= 2; ++threads) {
    set_cpu_threads(threads);
    std::atomic<int> ran{0};
    EXPECT_THROW(for_each_tile(40,
                               [&](std::int64_t t) {
                                 ran.fetch_add(1);
                                 if (t == 5) throw std::bad_alloc();
                               }),
                 std::bad_alloc);
    EXPECT_GE(ran.load(), 6) << threads << " threads";
  }
}

}  // namespace
}  // namespace lossbench::detail
