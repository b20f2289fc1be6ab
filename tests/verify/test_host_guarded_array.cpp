// GuardedArray on host memory (the ref backend's): where the array lies
// (the offset, 16-byte alignment at offset 0), poison in every byte, what
// upload and download move, and that a write just outside the array is
// caught on either side while writes inside are not.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "lossbench/core/error.hpp"
#include "lossbench/verify/guarded_array.hpp"

namespace lossbench {
namespace {

TEST(HostGuardedArray, OffsetMovesTheArrayOffA16ByteBoundary) {
  const GuardedArray aligned(Backend::ref, sizeof(float), 10, 0);
  const GuardedArray odd(Backend::ref, sizeof(float), 10, 1);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(aligned.data()) % 16, 0u);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(odd.data()) % 16, sizeof(float));
  EXPECT_EQ(odd.size(), 10);
}

TEST(HostGuardedArray, PoisonIsNaNAndUploadFillsThePayload) {
  GuardedArray a(Backend::ref, sizeof(float), 4, 1);
  a.poison();
  GuardedContents before = a.download();
  ASSERT_EQ(before.payload.size(), 4 * sizeof(float));
  float first;
  std::memcpy(&first, before.payload.data(), sizeof first);
  EXPECT_TRUE(std::isnan(first));
  EXPECT_TRUE(before.guards_intact);

  const std::vector<float> values = {1.0f, 2.0f, 3.0f, 4.0f};
  a.upload(values.data(), values.size() * sizeof(float));
  const GuardedContents after = a.download();
  EXPECT_EQ(std::memcmp(after.payload.data(), values.data(), after.payload.size()), 0);
  EXPECT_TRUE(after.guards_intact);
  EXPECT_THROW(a.upload(values.data(), 5 * sizeof(float)), InputError);
}

TEST(HostGuardedArray, AWriteJustOutsideIsCaughtOnEitherSide) {
  for (const int offset : {0, 1}) {
    GuardedArray a(Backend::ref, sizeof(double), 3, offset);
    a.poison();
    double* p = a.as<double>();
    p[0] = p[1] = p[2] = 0.5;  // inside: fine
    EXPECT_TRUE(a.download().guards_intact) << "offset " << offset;
    p[3] = 0.0;  // one past the end
    EXPECT_FALSE(a.download().guards_intact) << "offset " << offset;
    a.poison();
    p[-1] = 0.0;  // one before the start
    EXPECT_FALSE(a.download().guards_intact) << "offset " << offset;
  }
}

}  // namespace
}  // namespace lossbench
