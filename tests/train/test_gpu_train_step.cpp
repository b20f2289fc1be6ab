// The training step on a real GPU: the fused kernel (train_step, backend
// cuda) and the framework-style cuBLAS baseline (TrainStepBaseline), each
// against the double-precision reference, with outputs poisoned beforehand,
// and the same bits on a second run. Skips, saying why, when this build has
// no CUDA backend or the machine has no usable GPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernels/train/train_step_tiling.hpp"
#include "lossbench/core/backend.hpp"
#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/train/train_step.hpp"
#include "lossbench/train/train_step_baseline.hpp"
#include "lossbench/train/train_step_bounds.hpp"
#include "lossbench/train/train_step_buffers.hpp"
#include "lossbench/reference/train_step_reference.hpp"

namespace lossbench {
namespace {

struct Shape {
  std::int64_t n;
  int d;
  int k;
};

std::string describe(const Shape& s, Loss loss, std::uint64_t seed) {
  return std::string(to_string(loss)) + " n=" + std::to_string(s.n) + " d=" + std::to_string(s.d) +
         " k=" + std::to_string(s.k) + " seed=" + std::to_string(seed);
}

// Host inputs drawn like the emulated tests' (image-like X with many zeros,
// one-hot or soft Y, weights ~ N(0, 1/d)), and their device copies.
struct Batch {
  std::vector<float> x, y, w, b;
};

Batch make_batch(const Shape& s, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const auto n = static_cast<std::size_t>(s.n);
  Batch batch;
  batch.x.resize(n * s.d);
  for (float& v : batch.x) v = unit(rng) < 0.3f ? 0.0f : unit(rng);
  batch.y.resize(n * s.k);
  const bool one_hot = seed % 2 == 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto label = static_cast<int>(rng() % static_cast<unsigned>(s.k));
    for (int j = 0; j < s.k; ++j) batch.y[i * s.k + j] = one_hot ? (j == label ? 1.0f : 0.0f) : unit(rng);
  }
  batch.w.resize(static_cast<std::size_t>(s.d) * s.k);
  for (float& v : batch.w) v = normal(rng) / std::sqrt(static_cast<float>(s.d));
  batch.b.resize(static_cast<std::size_t>(s.k));
  for (float& v : batch.b) v = normal(rng);
  return batch;
}

// The step's inputs and outputs in device memory, outputs poisoned with NaN
// (all bytes 0xff) so that an output never written cannot pass.
struct DeviceStep {
  TrainStepBuffers arrays;
  TrainStepCall call;

  DeviceStep(Loss loss_kind, const Shape& s, const Batch& batch)
      : arrays(Backend::cuda, s.n, s.d, s.k), call(arrays.call(loss_kind, s.n)) {
    arrays.inputs.upload(batch.x.data(), arrays.inputs.size());
    arrays.targets.upload(batch.y.data(), arrays.targets.size());
    arrays.weights.upload(batch.w.data(), arrays.weights.size());
    arrays.bias.upload(batch.b.data(), arrays.bias.size());
    poison();
  }
  void poison() {
    arrays.grad_weights.fill_bytes(0xff);
    arrays.grad_bias.fill_bytes(0xff);
    arrays.loss_value.fill_bytes(0xff);
  }
};

struct HostResult {
  std::vector<float> grad_w, grad_b;
  double loss = 0.0;
  bool operator==(const HostResult& o) const {
    return std::memcmp(grad_w.data(), o.grad_w.data(), grad_w.size() * sizeof(float)) == 0 &&
           std::memcmp(grad_b.data(), o.grad_b.data(), grad_b.size() * sizeof(float)) == 0 &&
           std::memcmp(&loss, &o.loss, sizeof(double)) == 0;
  }
};

HostResult download(const DeviceStep& step) {
  HostResult r;
  r.grad_w.resize(step.arrays.grad_weights.size() / sizeof(float));
  r.grad_b.resize(step.arrays.grad_bias.size() / sizeof(float));
  step.arrays.grad_weights.download(r.grad_w.data(), step.arrays.grad_weights.size());
  step.arrays.grad_bias.download(r.grad_b.data(), step.arrays.grad_bias.size());
  step.arrays.loss_value.download(&r.loss, sizeof(double));
  return r;
}

HostResult run_fused(DeviceStep& step) {
  step.poison();
  BackendBuffer workspace(Backend::cuda, train_step_workspace_size(step.call.n, step.call.d, step.call.k, Backend::cuda));
  workspace.fill_bytes(0xff);  // the step needs no zeroed workspace
  train_step(step.call, Backend::cuda, workspace.data(), workspace.size());
  return download(step);  // download waits for the device
}

HostResult run_baseline(TrainStepBaseline& baseline, DeviceStep& step) {
  step.poison();
  baseline.run(step.call, nullptr);
  return download(step);
}

void expect_matches_reference(const HostResult& got, const reference::TrainStepResult& ref, const Shape& s,
                              TrainStepSumLengths lengths, const std::string& what) {
  EXPECT_NEAR(got.loss, ref.loss, train_step_loss_bound(ref.loss)) << what << ": loss";
  int reported = 0;
  for (std::size_t e = 0; e < ref.grad_weights.size(); ++e) {
    const double bound =
        train_step_grad_bound(ref.grad_weights_abs[e], ref.grad_weights_logit_scale[e], ref.grad_weights[e], lengths);
    const double error = std::fabs(got.grad_w[e] - ref.grad_weights[e]);
    if (!(error <= bound) && reported++ < 5) {
      ADD_FAILURE() << what << ": dW[" << e / s.k << "][" << e % s.k << "] = " << got.grad_w[e] << ", reference "
                    << ref.grad_weights[e] << ", error " << error << " > bound " << bound;
    }
  }
  for (int j = 0; j < s.k; ++j) {
    const double bound =
        train_step_grad_bound(ref.grad_bias_abs[j], ref.grad_bias_logit_scale[j], ref.grad_bias[j], lengths);
    EXPECT_LE(std::fabs(got.grad_b[j] - ref.grad_bias[j]), bound)
        << what << ": db[" << j << "] = " << got.grad_b[j] << ", reference " << ref.grad_bias[j];
  }
}

class GpuTrainStep : public ::testing::Test {
 protected:
  void SetUp() override {
    const BackendAvailability cuda = backend_availability(Backend::cuda);
    if (!cuda.available) GTEST_SKIP() << "no GPU to run on: " << cuda.reason;
  }
};

// Shapes at the edges of the fused kernel's tiling (one row, a tile ± 1, the
// 64-row block minimum ± 1, the 256-block cap, d around the vector width and
// the 256 columns a thread steps over, every output capacity), the benchmarked
// Fashion-MNIST shape, and d = 1024, the kernel's maximum.
const Shape kShapes[] = {{1, 1, 1},     {7, 5, 2},      {9, 33, 3},     {63, 256, 4},   {65, 257, 8},
                         {129, 100, 9}, {517, 784, 10}, {1003, 129, 12}, {4097, 784, 16}, {16385, 784, 10},
                         {70001, 784, 1}, {300, 1024, 16}};

// Runs `check(loss, shape, seed, reference, step)` for every shape and
// loss, each with a fresh seed, the batch on the device and its reference.
template <class Check>
void for_each_case(Check check) {
  std::uint64_t seed = 20261125;
  for (const Shape& s : kShapes) {
    for (const Loss loss : {Loss::mse, Loss::bce}) {
      ++seed;
      const Batch batch = make_batch(s, seed);
      const auto ref = reference::train_step(loss, batch.x.data(), batch.y.data(), batch.w.data(), batch.b.data(),
                                             s.n, s.d, s.k);
      DeviceStep step(loss, s, batch);
      check(loss, s, seed, ref, step);
    }
  }
}

TEST_F(GpuTrainStep, FusedMatchesReference) {
  for_each_case([](Loss loss, const Shape& s, std::uint64_t seed, const reference::TrainStepResult& ref,
                   DeviceStep& step) {
    expect_matches_reference(run_fused(step), ref, s, fused_train_step_sum_lengths(s.n, s.d),
                             "fused " + describe(s, loss, seed));
  });
}

TEST_F(GpuTrainStep, BaselineMatchesReference) {
  for_each_case([](Loss loss, const Shape& s, std::uint64_t seed, const reference::TrainStepResult& ref,
                   DeviceStep& step) {
    TrainStepBaseline baseline(step.call);
    // cuBLAS does not document its summation order: any order of all n
    // rows, and of the d products plus the bias term it adds with beta = 1.
    const TrainStepSumLengths lengths{static_cast<double>(s.n), s.d + 8.0};
    expect_matches_reference(run_baseline(baseline, step), ref, s, lengths, "baseline " + describe(s, loss, seed));
  });
}

TEST_F(GpuTrainStep, SameBitsOnEveryRun) {
  const Shape s{16385, 784, 10};  // 256 blocks, a partial last tile
  const Batch batch = make_batch(s, 3);
  DeviceStep step(Loss::bce, s, batch);
  const HostResult fused = run_fused(step);
  EXPECT_TRUE(fused == run_fused(step)) << "the fused step changed between runs";
  TrainStepBaseline baseline(step.call);
  const HostResult first = run_baseline(baseline, step);
  EXPECT_TRUE(first == run_baseline(baseline, step)) << "the baseline changed between runs";
}

TEST_F(GpuTrainStep, BaselineRejectsAnotherShape) {
  const Shape s{100, 20, 3};
  const Batch batch = make_batch(s, 4);
  DeviceStep step(Loss::mse, s, batch);
  TrainStepCall other = step.call;
  other.n = 99;
  TrainStepBaseline baseline(other);
  EXPECT_THROW(baseline.run(step.call, nullptr), InputError);
}

}  // namespace
}  // namespace lossbench
