// The fused training step, run by the emulator from the same source nvcc
// compiles, against the double-precision reference of the same step: shapes
// at the edges (n around the tile and block partition, d around the vector
// width and the 256 columns a thread steps over, every compiled output
// capacity and the k between them), aligned and misaligned X, saturated
// logits, every output written, nothing around them touched, the same bits
// on every run, schedule and worker count. Also checks the reference itself
// against central differences of its own loss.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "emu/options.hpp"
#include "kernels/train/train_step_tiling.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/train/train_step.hpp"
#include "lossbench/train/train_step_bounds.hpp"
#include "lossbench/reference/train_step_reference.hpp"

namespace lossbench {
namespace {

struct Shape {
  std::int64_t n;
  int d;
  int k;
};

std::string describe(const Shape& s, Loss loss, int offset, std::uint64_t seed) {
  return std::string(to_string(loss)) + " n=" + std::to_string(s.n) + " d=" + std::to_string(s.d) +
         " k=" + std::to_string(s.k) + " offset=" + std::to_string(offset) + " seed=" + std::to_string(seed);
}

// A batch with the inputs shifted by `offset` floats from a 16-byte boundary
// (offset 1: the kernel's scalar staging path), drawn from `seed`. `scale`
// multiplies the weights: 30 saturates most sigmoids.
struct Batch {
  std::vector<float> x_storage, y, w, b;
  int offset = 0;
  const float* x() const { return x_storage.data() + offset; }
};

Batch make_batch(const Shape& s, int offset, std::uint64_t seed, float scale, bool one_hot) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Batch batch;
  batch.offset = offset;
  const auto n = static_cast<std::size_t>(s.n);
  // 16-byte aligned storage (vector<float> of that size is, from operator new), then the offset.
  batch.x_storage.resize(n * s.d + 4);
  for (float& v : batch.x_storage) v = unit(rng) < 0.3f ? 0.0f : unit(rng);  // image-like: many zeros
  batch.y.resize(n * s.k);
  for (std::size_t i = 0; i < n; ++i) {
    const auto label = static_cast<int>(rng() % static_cast<unsigned>(s.k));
    for (int j = 0; j < s.k; ++j) batch.y[i * s.k + j] = one_hot ? (j == label ? 1.0f : 0.0f) : unit(rng);
  }
  batch.w.resize(static_cast<std::size_t>(s.d) * s.k);
  for (float& v : batch.w) v = scale * normal(rng) / std::sqrt(static_cast<float>(s.d));
  batch.b.resize(static_cast<std::size_t>(s.k));
  for (float& v : batch.b) v = normal(rng);
  return batch;
}

// Outputs with guard floats on both sides, poisoned with NaN before the run.
struct Outputs {
  static constexpr int kGuard = 4;
  std::vector<float> grad_w, grad_b;
  std::vector<double> loss;
  Outputs(int d, int k)
      : grad_w(static_cast<std::size_t>(d) * k + 2 * kGuard, std::numeric_limits<float>::quiet_NaN()),
        grad_b(static_cast<std::size_t>(k) + 2 * kGuard, std::numeric_limits<float>::quiet_NaN()),
        loss(3, std::numeric_limits<double>::quiet_NaN()) {}
  float* w() { return grad_w.data() + kGuard; }
  float* b() { return grad_b.data() + kGuard; }
  double* l() { return loss.data() + 1; }
};

Outputs run_emu(Loss loss, const Shape& s, const Batch& batch) {
  Outputs out(s.d, s.k);
  TrainStepCall call;
  call.loss = loss;
  call.inputs = batch.x();
  call.targets = batch.y.data();
  call.weights = batch.w.data();
  call.bias = batch.b.data();
  call.n = s.n;
  call.d = s.d;
  call.k = s.k;
  call.grad_weights = out.w();
  call.grad_bias = out.b();
  call.loss_value = out.l();
  std::vector<unsigned char> workspace(train_step_workspace_size(call.n, call.d, call.k, Backend::emu), 0xff);  // garbage: no zeroing needed
  train_step(call, Backend::emu, workspace.data(), workspace.size());
  return out;
}

void expect_matches_reference(Loss loss, const Shape& s, const Batch& batch, Outputs& got, const std::string& what) {
  const reference::TrainStepResult ref =
      reference::train_step(loss, batch.x(), batch.y.data(), batch.w.data(), batch.b.data(), s.n, s.d, s.k);
  const TrainStepSumLengths lengths = fused_train_step_sum_lengths(s.n, s.d);
  EXPECT_NEAR(*got.l(), ref.loss, train_step_loss_bound(ref.loss)) << what;
  int reported = 0;
  for (std::size_t e = 0; e < ref.grad_weights.size(); ++e) {
    const double bound = train_step_grad_bound(ref.grad_weights_abs[e], ref.grad_weights_logit_scale[e],
                                               ref.grad_weights[e], lengths);
    const double error = std::fabs(got.w()[e] - ref.grad_weights[e]);
    if (!(error <= bound) && reported++ < 5) {
      ADD_FAILURE() << what << ": dW[" << e / s.k << "][" << e % s.k << "] = " << got.w()[e] << ", reference "
                    << ref.grad_weights[e] << ", error " << error << " > bound " << bound;
    }
  }
  for (int j = 0; j < s.k; ++j) {
    const double bound =
        train_step_grad_bound(ref.grad_bias_abs[j], ref.grad_bias_logit_scale[j], ref.grad_bias[j], lengths);
    EXPECT_LE(std::fabs(got.b()[j] - ref.grad_bias[j]), bound)
        << what << ": db[" << j << "] = " << got.b()[j] << ", reference " << ref.grad_bias[j];
  }
  for (int g = 0; g < Outputs::kGuard; ++g) {
    EXPECT_TRUE(std::isnan(got.grad_w[g]) && std::isnan(got.grad_w[got.grad_w.size() - 1 - g])) << what << ": wrote outside dW";
    EXPECT_TRUE(std::isnan(got.grad_b[g]) && std::isnan(got.grad_b[got.grad_b.size() - 1 - g])) << what << ": wrote outside db";
  }
  EXPECT_TRUE(std::isnan(got.loss[0]) && std::isnan(got.loss[2])) << what << ": wrote outside the loss";
}

bool same_bits(Outputs& a, Outputs& b) {
  return std::memcmp(a.grad_w.data(), b.grad_w.data(), a.grad_w.size() * sizeof(float)) == 0 &&
         std::memcmp(a.grad_b.data(), b.grad_b.data(), a.grad_b.size() * sizeof(float)) == 0 &&
         std::memcmp(a.l(), b.l(), sizeof(double)) == 0;
}

TEST(KernelsTrainStep, MatchesReferenceAcrossShapes) {
  // n: one row, a partial tile, a tile ± 1, the 64-row minimum per block ± 1,
  // several blocks with a partial last tile. d: 1, around the float4 width,
  // around the 32 lanes and the 256 columns a thread steps over, Fashion-MNIST's
  // 784, the maximum. k: each compiled capacity and values between them.
  const Shape shapes[] = {{1, 1, 1},    {1, 784, 10},  {3, 5, 3},     {7, 4, 2},    {8, 3, 4},   {9, 33, 5},
                          {63, 31, 8},  {64, 32, 9},   {65, 257, 10}, {100, 256, 11}, {129, 255, 12},
                          {200, 100, 13}, {517, 784, 10}, {300, 1024, 16}, {1003, 129, 1}, {77, 513, 16}};
  std::uint64_t seed = 20261125;
  for (const Shape& s : shapes) {
    for (const Loss loss : {Loss::mse, Loss::bce}) {
      for (const int offset : {0, 1}) {
        ++seed;
        const Batch batch = make_batch(s, offset, seed, 1.0f, /*one_hot=*/seed % 2 == 0);
        Outputs got = run_emu(loss, s, batch);
        expect_matches_reference(loss, s, batch, got, describe(s, loss, offset, seed));
      }
    }
  }
}

TEST(KernelsTrainStep, SaturatedLogitsMatchReference) {
  // Weights 30× larger: |z| in the tens to hundreds, σ saturated, MSE's
  // gradient vanishing (the seed's slowdown) and BCE's staying a − y.
  const Shape s{150, 97, 10};
  for (const Loss loss : {Loss::mse, Loss::bce}) {
    const Batch batch = make_batch(s, 0, 7, 30.0f, /*one_hot=*/true);
    Outputs got = run_emu(loss, s, batch);
    expect_matches_reference(loss, s, batch, got, describe(s, loss, 0, 7) + " saturated");
  }
}

TEST(KernelsTrainStep, SameBitsEveryRunScheduleAndWorkerCount) {
  const Shape s{700, 200, 10};  // 11 blocks
  const Batch batch = make_batch(s, 0, 99, 1.0f, true);
  Outputs first = run_emu(Loss::bce, s, batch);
  const emu::Options saved = emu::current_options();
  for (const char* schedule : {"reverse", "random:3"}) {
    for (const unsigned workers : {1u, 3u}) {
      emu::set_schedule(emu::Schedule::parse(schedule));
      emu::set_workers(workers);
      Outputs again = run_emu(Loss::bce, s, batch);
      EXPECT_TRUE(same_bits(first, again)) << "schedule " << schedule << ", workers " << workers;
    }
  }
  emu::set_schedule(saved.schedule);
  emu::set_workers(saved.workers);
}

TEST(KernelsTrainStep, PartitionDependsOnNOnlyAndCoversEveryRow) {
  for (const std::int64_t n : {std::int64_t{1}, std::int64_t{8}, std::int64_t{64}, std::int64_t{65},
                               std::int64_t{16384}, std::int64_t{16385}, std::int64_t{60000},
                               std::int64_t{1} << 40}) {
    const kernels::TrainStepPartition p = kernels::train_step_partition(n);
    EXPECT_GE(p.blocks, 1);
    EXPECT_LE(p.blocks, kernels::kTrainMaxBlocks);
    EXPECT_EQ(p.rows_per_block % kernels::kTrainTileRows, 0) << n;
    EXPECT_GE(p.blocks * p.rows_per_block, n) << "rows left over at n = " << n;
    EXPECT_LT((p.blocks - 1) * p.rows_per_block, n) << "an empty block at n = " << n;
  }
}

TEST(KernelsTrainStep, RejectsShapesTheKernelCannotTake) {
  const Shape s{4, train_step_limits(Backend::emu).max_inputs + 1, 2};
  const Batch batch = make_batch(s, 0, 1, 1.0f, true);
  EXPECT_THROW(run_emu(Loss::bce, s, batch), InputError);
}

// The reference's dW and db are the derivatives of its own loss: central
// differences in double agree to ~1e-7 relative.
TEST(ReferenceTrainStep, GradientsAreDerivativesOfTheLoss) {
  const Shape s{5, 6, 3};
  for (const Loss loss : {Loss::mse, Loss::bce}) {
    Batch batch = make_batch(s, 0, 5, 2.0f, false);
    const reference::TrainStepResult r =
        reference::train_step(loss, batch.x(), batch.y.data(), batch.w.data(), batch.b.data(), s.n, s.d, s.k);
    const auto loss_at = [&](std::vector<float>& v, std::size_t e, float h) {
      const float saved = v[e];
      v[e] = saved + h;
      const double l = reference::train_step(loss, batch.x(), batch.y.data(), batch.w.data(), batch.b.data(), s.n,
                                             s.d, s.k).loss;
      v[e] = saved;
      return l;
    };
    const float h = 1.0f / 1024;  // exact in float, so w ± h is what the reference sees
    for (std::size_t e = 0; e < batch.w.size(); ++e) {
      const double numeric = (loss_at(batch.w, e, h) - loss_at(batch.w, e, -h)) / (2.0 * h);
      EXPECT_NEAR(r.grad_weights[e], numeric, 1e-5 * (1.0 + std::fabs(numeric))) << to_string(loss) << " dW " << e;
    }
    for (int j = 0; j < s.k; ++j) {
      const double numeric = (loss_at(batch.b, j, h) - loss_at(batch.b, j, -h)) / (2.0 * h);
      EXPECT_NEAR(r.grad_bias[j], numeric, 1e-5 * (1.0 + std::fabs(numeric))) << to_string(loss) << " db " << j;
    }
  }
}

}  // namespace
}  // namespace lossbench
