// The byte counts behind every bandwidth and %-of-peak figure.
#include <gtest/gtest.h>

#include "lossbench/core/error.hpp"
#include "measure/traffic.hpp"

namespace lossbench::measure {
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
  // A weight of the input's shape is one more read; a broadcast one is in cache.
  EXPECT_EQ(fused_bytes({Pass::forward_grad, Reduction::mean, DType::bf16, n, Activation::sigmoid, true}),
            8 * n + partials);
}

TEST(BenchTraffic, UnfusedBytesPerElementAsDocumented) {
  const std::int64_t n = 1000;
  // sigmoid 2T + loss 2T + 4 + reduction 4 + gradient 3T.
  EXPECT_EQ(unfused_bytes({Pass::forward_grad, Reduction::mean, DType::f32, n}), 36 * n);
  EXPECT_EQ(unfused_bytes({Pass::forward, Reduction::sum, DType::f32, n}), 24 * n);
  EXPECT_EQ(unfused_bytes({Pass::forward_grad, Reduction::mean, DType::f16, n}), 22 * n);
  EXPECT_THROW(unfused_bytes({Pass::forward_grad, Reduction::none, DType::f32, n}), InputError);
  // MSE without the sigmoid: no sigmoid kernel (read z, write a: 8), the rest reads z for a.
  EXPECT_EQ(unfused_bytes({Pass::forward_grad, Reduction::mean, DType::f32, n, Activation::identity}), 28 * n);
  // The fused kernel must move 3× fewer bytes for f32 loss + gradient.
  EXPECT_EQ(unfused_bytes({Pass::forward_grad, Reduction::mean, DType::f32, 1 << 20}) / (12 << 20), 3);
}

// Softmax cross-entropy, counted by hand per row (int64 labels: L = 8).
TEST(BenchTraffic, SoftmaxFusedReadsLogitsAndLabelWritesGradient) {
  // f32, V = 10: z 40 + label 8 + g 40 = 88 bytes a row.
  EXPECT_EQ(softmax_fused_bytes({1 << 22, 10, DType::f32}), 88 * (std::int64_t{1} << 22));
  // bf16, V = 32768: 2·65536 + 8 = 131080 bytes a row.
  EXPECT_EQ(softmax_fused_bytes({4096, 32768, DType::bf16}), 4096 * std::int64_t{131080});
  EXPECT_EQ(softmax_fused_bytes({512, 262144, DType::f32, 4}), 512 * (8 * std::int64_t{262144} + 4));
  EXPECT_EQ(softmax_fused_bytes({0, 10, DType::f32}), 0);
  // Class weights: V·T more, once a call (4 × 10 at f32, V = 10).
  EXPECT_EQ(softmax_fused_bytes({1 << 22, 10, DType::f32, 8, true}), 88 * (std::int64_t{1} << 22) + 40);
  EXPECT_THROW(softmax_fused_bytes({4, 0, DType::f32}), InputError);
  EXPECT_THROW(softmax_fused_bytes({4, 10, DType::f32, 2}), InputError);
}

TEST(BenchTraffic, SoftmaxUnfusedWritesLogProbsAndReadsThemTwice) {
  // f32, V = 10: log_softmax 80, gather 8 + 4 + 4, count 8, reduce 4, backward 8 + 80 = 196 a row.
  EXPECT_EQ(softmax_unfused_bytes({1 << 22, 10, DType::f32}), 196 * (std::int64_t{1} << 22));
  // bf16, V = 1024: log_softmax 4096, gather 8 + 2 + 4, count 8, reduce 4, backward 8 + 4096 = 8226.
  EXPECT_EQ(softmax_unfused_bytes({1 << 16, 1024, DType::bf16}), 8226 * (std::int64_t{1} << 16));
  // At large V the unfused baseline moves twice the fused kernel's bytes, nearly.
  const SoftmaxTrafficCase wide{512, 262144, DType::f32};
  EXPECT_NEAR(static_cast<double>(softmax_unfused_bytes(wide)) / static_cast<double>(softmax_fused_bytes(wide)), 2.0,
              1e-4);
}

TEST(BenchTraffic, FusedTrainStepReadsXOncePlusPerBlockParameters) {
  // One block (n ≤ 64 rows): X and Y, W and b read, partials written and read, results written.
  const std::int64_t d = 784, k = 10, parameters = 4 * (d * k + k);
  EXPECT_EQ(fused_train_step_bytes({8, 784, 10}), 4 * 8 * (d + k) + parameters + 2 * (parameters + 8) + parameters + 8);
  // n = 2^14: 256 blocks of 64 rows, each reading W and writing partials.
  const std::int64_t n = 1 << 14;
  EXPECT_EQ(fused_train_step_bytes({n, 784, 10}),
            4 * n * (d + k) + 256 * parameters + 2 * 256 * (parameters + 8) + parameters + 8);
  // Beyond 256 × 64 rows the blocks stay 256: the per-block terms stop growing.
  const std::int64_t per_block_terms = 256 * parameters + 2 * 256 * (parameters + 8) + parameters + 8;
  EXPECT_EQ(fused_train_step_bytes({1 << 18, 784, 10}), 4 * (std::int64_t{1} << 18) * (d + k) + per_block_terms);
}

// The trainer's step: a row of pixels is d bytes plus its 4-byte index, and
// the update reads and writes W and b where a plain step writes dW and db.
TEST(BenchTraffic, TrainerStepReadsPixelsThroughIndicesAndUpdatesInPlace) {
  const std::int64_t d = 784, k = 10, n = 64;
  const std::int64_t parameters = 4 * (d * k + k);
  const TrainStepShape trainer{n, 784, 10, 1, true, true};
  EXPECT_EQ(fused_train_step_bytes(trainer), n * (d + 4 * k + 4) + parameters + 2 * (parameters + 8) + 2 * parameters + 8);
  EXPECT_EQ(fused_train_step_bytes({n, 784, 10}) - fused_train_step_bytes(trainer), n * (3 * d - 4) - parameters);
  EXPECT_THROW(fused_train_step_bytes({n, 784, 10, 2}), InputError);
}

TEST(BenchTraffic, BaselineTrainStepMovesEightDPlusThirtyTwoKPlusEightBytesPerRow) {
  const std::int64_t d = 784, k = 16;
  // One more row adds X twice (two GEMMs), Z/dZ/Y eight times, two reads of the ones vector.
  EXPECT_EQ(baseline_train_step_bytes({101, 784, 16}) - baseline_train_step_bytes({100, 784, 16}), 8 * d + 32 * k + 8);
  // The fixed part: W and dW (GEMMs), b and db, the loss scaling, one fused-loss tile partial.
  const std::int64_t n = 100;
  EXPECT_EQ(baseline_train_step_bytes({n, 784, 16}), n * (8 * d + 32 * k + 8) + 4 * (2 * d * k + 2 * k) + 16 + 8);
}

TEST(BenchTraffic, TrainStepFusionHalvesTheBytesWhenKIsSmall) {
  // At n ≥ 2^18 X dominates both; at smaller n the fused step's 256 blocks of
  // partials weigh in (at n = 2^14, k = 16 the ratio is only 1.22).
  for (const int k : {1, 10, 16}) {
    for (const std::int64_t n : {std::int64_t{1} << 18, std::int64_t{1} << 20}) {
      const double ratio = static_cast<double>(baseline_train_step_bytes({n, 784, k})) /
                           static_cast<double>(fused_train_step_bytes({n, 784, k}));
      EXPECT_GT(ratio, 1.8) << "n=" << n << " k=" << k;
      EXPECT_LT(ratio, 2.15) << "n=" << n << " k=" << k;
    }
  }
}

TEST(BenchTraffic, TrainStepTotalsQuotedInPerfMd) {
  // docs/PERF.md's table of bytes per step (d = 784) quotes these.
  EXPECT_EQ(fused_train_step_bytes({1 << 14, 784, 16}), 91'067'464);
  EXPECT_EQ(baseline_train_step_bytes({1 << 14, 784, 16}), 111'381'136);
  EXPECT_EQ(fused_train_step_bytes({1 << 18, 784, 10}), 856'720'048);
  EXPECT_EQ(baseline_train_step_bytes({1 << 18, 784, 10}), 1'730'218'336);
  EXPECT_EQ(fused_train_step_bytes({1 << 18, 784, 1}), 825'550'924);
  EXPECT_EQ(baseline_train_step_bytes({1 << 18, 784, 1}), 1'654'659'736);
}

TEST(BenchTraffic, TrainStepRejectsEmptyShapes) {
  EXPECT_THROW(fused_train_step_bytes({0, 784, 10}), InputError);
  EXPECT_THROW(baseline_train_step_bytes({1, 0, 10}), InputError);
  EXPECT_THROW(baseline_train_step_bytes({1, 784, 0}), InputError);
}

TEST(BenchTraffic, CopyCountsReadAndWrite) { EXPECT_EQ(copy_traffic(100), 200); }

TEST(BenchTraffic, RejectsNegativeSizes) {
  EXPECT_THROW(fused_bytes({Pass::forward, Reduction::sum, DType::f32, -1}), InputError);
  EXPECT_THROW(unfused_bytes({Pass::forward, Reduction::sum, DType::f32, -1}), InputError);
}

}  // namespace
}  // namespace lossbench::measure
