// The inputs as the kernels read them: every uint8 pixel v becomes exactly
// float(v) / 255.0f (what the data loader stores for f32 training), though
// the kernels compute it without a division; and a packed word of four
// pixels unpacks in memory order.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "kernels/train/train_inputs.cuh"

namespace lossbench::kernels {
namespace {

TEST(KernelsTrainInputs, EveryPixelIsItsCorrectlyRoundedQuotient) {
  for (int v = 0; v <= 255; ++v) {
    const float expected = static_cast<float>(v) / 255.0f;
    const float got = input_value(static_cast<std::uint8_t>(v));
    EXPECT_EQ(std::memcmp(&got, &expected, sizeof got), 0) << "v = " << v << ": " << got << " vs " << expected;
  }
}

TEST(KernelsTrainInputs, APackOfFourPixelsUnpacksInMemoryOrder) {
  const std::uint8_t pixels[4] = {0, 1, 128, 255};
  std::uint32_t word;
  std::memcpy(&word, pixels, sizeof word);
  const float4 f = InputPack<std::uint8_t>::to_float4(word);
  EXPECT_EQ(f.x, 0.0f);
  EXPECT_EQ(f.y, 1.0f / 255.0f);
  EXPECT_EQ(f.z, 128.0f / 255.0f);
  EXPECT_EQ(f.w, 1.0f);
}

}  // namespace
}  // namespace lossbench::kernels
