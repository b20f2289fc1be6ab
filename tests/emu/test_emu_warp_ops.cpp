// Every shuffle variant and width, and the votes, lane by lane against the
// CUDA programming guide's definitions; and a mask naming an absent lane.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "backends/launch/kernel_launch.cuh"
#include "kernels/warp_ops.cuh"

namespace lossbench {
namespace {

using test_kernels::Shuffle;

// The guide's definition of the lane each lane reads, for a full warp.
int source_lane(Shuffle kind, int lane, int param, int width) {
  const int segment = lane / width * width;
  switch (kind) {
    case Shuffle::index: return segment + ((param % width) + width) % width;
    case Shuffle::up: return lane - segment >= param ? lane - param : lane;
    case Shuffle::down: return lane - segment + param < width ? lane + param : lane;
    case Shuffle::xor_lanes: {
      const int target = lane ^ param;
      return target < segment + width ? target : lane;
    }
  }
  return -1;
}

TEST(EmuWarpOps, EveryShuffleVariantAndWidth) {
  const char* names[] = {"shfl", "shfl_up", "shfl_down", "shfl_xor"};
  for (const Shuffle kind : {Shuffle::index, Shuffle::up, Shuffle::down, Shuffle::xor_lanes}) {
    for (const int width : {1, 2, 4, 8, 16, 32}) {
      for (const int param : {0, 1, 3, 5, 16, 31}) {
        std::vector<int> out(32, -1);
        launch(&test_kernels::shuffle, dim3(1), dim3(32), 0, default_stream(), kind, param, width, out.data());
        for (int lane = 0; lane < 32; ++lane) {
          ASSERT_EQ(out[lane], 100 + source_lane(kind, lane, param, width))
              << names[static_cast<int>(kind)] << " width " << width << " param " << param << " lane " << lane;
        }
      }
    }
  }
}

TEST(EmuWarpOps, ShuffleOfADoubleInsideOneWarpOnly) {
  std::vector<double> out(32, -1.0);
  launch(&test_kernels::shuffle_double_in_one_warp, dim3(1), dim3(96), 0, default_stream(), out.data());
  for (int lane = 0; lane < 32; ++lane) {
    const int source = lane < 31 ? 32 + lane + 1 : 32 + lane;
    EXPECT_EQ(out[lane], 0.5 * source) << "lane " << lane;
  }
}

TEST(EmuWarpOps, BallotAnyAllOverPartialMasks) {
  for (const unsigned mask : {0xffffffffu, 0x0000ffffu, 0xf0f0f0f0u, 0x00000001u}) {
    for (const int divisor : {1, 2, 3, 64}) {
      std::vector<unsigned> out(3 * 32, 0xdeadbeef);
      launch(&test_kernels::vote, dim3(1), dim3(32), 0, default_stream(), mask, divisor, out.data());
      unsigned expected_ballot = 0;
      for (unsigned lane = 0; lane < 32; ++lane) {
        if ((mask >> lane & 1u) != 0 && lane % static_cast<unsigned>(divisor) == 0) expected_ballot |= 1u << lane;
      }
      for (unsigned lane = 0; lane < 32; ++lane) {
        if ((mask >> lane & 1u) == 0) continue;
        EXPECT_EQ(out[3 * lane], expected_ballot) << "mask " << mask << " divisor " << divisor << " lane " << lane;
        EXPECT_EQ(out[3 * lane + 1], expected_ballot != 0 ? 1u : 0u);
        EXPECT_EQ(out[3 * lane + 2], expected_ballot == mask ? 1u : 0u);
      }
    }
  }
}

TEST(EmuWarpOps, MaskNamingALaneThatNeverArrivesIsAnError) {
  std::vector<int> out(32);
  try {
    launch(&test_kernels::shuffle_with_absent_lane, dim3(1), dim3(32), 0, default_stream(), out.data());
    ADD_FAILURE() << "the emulator completed a shuffle whose lane 31 never arrives";
  } catch (const emu::EmuError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("shuffle_with_absent_lane"), std::string::npos) << message;
    EXPECT_NE(message.find("block (0, 0, 0)"), std::string::npos) << message;
    EXPECT_NE(message.find("0xffffffff"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace lossbench
