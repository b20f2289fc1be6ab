// The byte counts behind every bandwidth and %-of-peak figure.
#include <gtest/gtest.h>

#include "lossbench/error.hpp"
#include "traffic.hpp"

namespace lossbench::bench {
namespace {

TEST(BenchTraffic, FusedBytesPerElementAsDocumented) {
  const std::int64_t n = 4096 * 10;  // whole tiles: 10 partials of 4 bytes, each written and read
  const std::int64_t partials = 10 * 4 * 2;
  EXPECT_EQ(fused_bytes({Pass::forward_grad, Reduction::mean, DType::f32, n}), 12 * n + partials);
  EXPECT_EQ(fused_bytes({Pass::in_place, Reduction::sum, DType::f32, n}), 12 * n + partials);
  EXPECT_EQ(fused_bytes({Pass::forward, Reduction::mean, DType::f32, n}), 8 * n + partials);
  EXPECT_EQ(fused_bytes({Pass::forward_grad, Reduction::mean, DType::bf16, n}), 6 * n + partials);
  EXPECT_EQ(fused_bytes({Pass::forward_grad, Reduction::none, DType::f16, n}), 8 * n);  // z, y, g, ℓ
  EXPECT_EQ(fused_bytes({Pass::forward, Reduction::none, DType::f32, n}), 12 * n);
  EXPECT_EQ(fused_bytes({Pass::forward_grad, Reduction::mean, DType::f32, 4097}), 12 * 4097 + 2 * 4 * 2);
  EXPECT_EQ(fused_bytes({Pass::forward_grad, Reduction::mean, DType::f32, 0}), 0);
}

TEST(BenchTraffic, UnfusedBytesPerElementAsDocumented) {
  const std::int64_t n = 1000;
  // sigmoid 2T + loss 2T + 4 + reduction 4 + gradient 3T.
  EXPECT_EQ(unfused_bytes({Pass::forward_grad, Reduction::mean, DType::f32, n}), 36 * n);
  EXPECT_EQ(unfused_bytes({Pass::forward, Reduction::sum, DType::f32, n}), 24 * n);
  EXPECT_EQ(unfused_bytes({Pass::forward_grad, Reduction::mean, DType::f16, n}), 22 * n);
  EXPECT_THROW(unfused_bytes({Pass::forward_grad, Reduction::none, DType::f32, n}), InputError);
  // The fused kernel must move 3× fewer bytes for f32 loss + gradient.
  EXPECT_EQ(unfused_bytes({Pass::forward_grad, Reduction::mean, DType::f32, 1 << 20}) / (12 << 20), 3);
}

TEST(BenchTraffic, CopyCountsReadAndWrite) { EXPECT_EQ(copy_traffic(100), 200); }

TEST(BenchTraffic, RejectsNegativeSizes) {
  EXPECT_THROW(fused_bytes({Pass::forward, Reduction::sum, DType::f32, -1}), InputError);
  EXPECT_THROW(unfused_bytes({Pass::forward, Reduction::sum, DType::f32, -1}), InputError);
}

}  // namespace
}  // namespace lossbench::bench
