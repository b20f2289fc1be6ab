// The train_step() API's argument checks, limits and workspace query, with
// no kernel run: validate() refuses every bad call with an InputError naming
// the problem (each null pointer, n, d or k < 1, each output overlapping
// each input and each other output, an unknown loss, a learning-rate table
// without its cursor) and accepts a good one;
// train_step_limits and train_step_workspace_size answer per backend (ref
// takes any shape and needs no workspace; emu and cuda take d <= 1024 and
// k <= 16, and cuda answers without a device).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "kernels/train/train_step_tiling.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench {
namespace {

constexpr std::int64_t kN = 4;
constexpr int kD = 3;
constexpr int kK = 2;

class HostTrainStepApi : public ::testing::Test {
 protected:
  HostTrainStepApi()
      : x(kN * kD, 0.5f), y(kN * kK, 1.0f), w(kD * kK, 0.25f), b(kK, 0.0f), dw(kD * kK), db(kK) {
    call.loss = Loss::bce;
    call.inputs = x.data();
    call.targets = y.data();
    call.weights = w.data();
    call.bias = b.data();
    call.n = kN;
    call.d = kD;
    call.k = kK;
    call.grad_weights = dw.data();
    call.grad_bias = db.data();
    call.loss_value = &loss;
  }

  static void expect_rejected(const TrainStepCall& bad, const std::string& message) {
    try {
      validate(bad);
      ADD_FAILURE() << "accepted a call that should fail with '" << message << "'";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), "train_step: " + message);
    }
  }

  std::vector<float> x, y, w, b, dw, db;
  double loss = 0;
  TrainStepCall call;
};

TEST_F(HostTrainStepApi, AcceptsAWellFormedCallAndComputesOnRef) {
  EXPECT_NO_THROW(validate(call));
  train_step(call, Backend::ref, nullptr, 0);
  // z = 3·0.5·0.25 = 0.375 for every row and output, y = 1: ℓ = log(1 + e^-z) per output.
  EXPECT_NEAR(loss, kK * std::log1p(std::exp(-0.375)), 1e-12);
  const double dz = 1.0 / (1.0 + std::exp(-0.375)) - 1.0;
  EXPECT_FLOAT_EQ(db[1], static_cast<float>(dz));
  EXPECT_FLOAT_EQ(dw[5], static_cast<float>(0.5 * dz));
}

TEST_F(HostTrainStepApi, RejectsAnUnknownLossAndEmptyShapes) {
  TrainStepCall bad = call;
  bad.loss = static_cast<Loss>(7);
  expect_rejected(bad, "unknown loss value 7 (expected mse, bce or softmax-ce)");
  bad = call;
  bad.n = 0;
  expect_rejected(bad, "n (rows in the batch) must be >= 1, got 0");
  bad = call;
  bad.n = -3;
  expect_rejected(bad, "n (rows in the batch) must be >= 1, got -3");
  bad = call;
  bad.d = 0;
  expect_rejected(bad, "d (inputs per row) must be >= 1, got 0");
  bad = call;
  bad.k = -1;
  expect_rejected(bad, "k (outputs per row) must be >= 1, got -1");
}

TEST_F(HostTrainStepApi, RejectsEachNullPointer) {
  TrainStepCall bad = call;
  bad.inputs = nullptr;
  expect_rejected(bad, "inputs is null");
  bad = call;
  bad.targets = nullptr;
  expect_rejected(bad, "targets is null");
  bad = call;
  bad.weights = nullptr;
  expect_rejected(bad, "weights is null");
  bad = call;
  bad.bias = nullptr;
  expect_rejected(bad, "bias is null");
  bad = call;
  bad.grad_weights = nullptr;
  expect_rejected(bad, "grad_weights is null");
  bad = call;
  bad.grad_bias = nullptr;
  expect_rejected(bad, "grad_bias is null");
  bad = call;
  bad.loss_value = nullptr;
  expect_rejected(bad, "loss_value is null");
}

// η from a table needs the cursor that indexes it, and only one source of η;
// the entry at the cursor is checked where the host can read it.
TEST_F(HostTrainStepApi, ALearningRateTableNeedsACursorAndNoOtherRateAndAValidEntry) {
  std::vector<float> rates = {0.5f, std::numeric_limits<float>::quiet_NaN(), 0.25f};
  std::vector<std::int32_t> order(3 * kN, 0);
  std::uint32_t cursor = 0;
  TrainStepCall table = call;
  table.learning_rates = rates.data();
  expect_rejected(table, "a learning-rate table (learning_rates) needs a step cursor");
  table.row_indices = order.data();
  table.input_rows = kN;
  table.step = &cursor;
  table.step_rows = kN;
  EXPECT_NO_THROW(validate(table));
  table.learning_rate = 0.1f;
  expect_rejected(table, "give learning_rate or learning_rates, not both (learning_rate is 0.100000)");
  table.learning_rate = 0.0f;
  table.grad_weights = nullptr;  // an update's gradients may be null, as with a scalar η
  table.grad_bias = nullptr;
  EXPECT_NO_THROW(validate(table));
  train_step(table, Backend::ref, nullptr, 0);  // step 0 at η = 0.5
  EXPECT_EQ(cursor, 1u);
  try {
    train_step(table, Backend::ref, nullptr, 0);
    ADD_FAILURE() << "took η = NaN from the table";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "train_step: learning_rates[1] must be finite and >= 0, got nan");
  }
  EXPECT_EQ(cursor, 1u) << "a refused step leaves the cursor";
}

TEST_F(HostTrainStepApi, RejectsEachOutputOverlappingAnInput) {
  // Each output placed on the last element of each input: a partial overlap.
  const float* input_ends[] = {&x.back(), &y.back(), &w.back(), &b.back()};
  const char* input_names[] = {"inputs", "targets", "weights", "bias"};
  for (int i = 0; i < 4; ++i) {
    float* at = const_cast<float*>(input_ends[i]);
    TrainStepCall bad = call;
    bad.grad_weights = at;
    expect_rejected(bad, std::string("grad_weights overlaps ") + input_names[i]);
    bad = call;
    bad.grad_bias = at;
    expect_rejected(bad, std::string("grad_bias overlaps ") + input_names[i]);
    bad = call;
    bad.loss_value = reinterpret_cast<double*>(at);
    expect_rejected(bad, std::string("loss_value overlaps ") + input_names[i]);
  }
}

TEST_F(HostTrainStepApi, RejectsOutputsOverlappingEachOther) {
  TrainStepCall bad = call;
  bad.grad_bias = dw.data() + kD * kK - 1;
  expect_rejected(bad, "grad_weights overlaps grad_bias");
  bad = call;
  bad.loss_value = reinterpret_cast<double*>(dw.data());
  expect_rejected(bad, "grad_weights overlaps loss_value");
  bad = call;
  bad.loss_value = reinterpret_cast<double*>(db.data());
  expect_rejected(bad, "grad_bias overlaps loss_value");
  bad = call;
  bad.grad_bias = dw.data() + kD * kK;  // right after dW: adjacent, not overlapping
  EXPECT_NO_THROW(validate(bad));
}

TEST(HostTrainStepLimits, RefTakesAnyShapeAndNeedsNoWorkspace) {
  const TrainStepLimits ref = train_step_limits(Backend::ref);
  EXPECT_EQ(ref.max_inputs, std::numeric_limits<int>::max());
  EXPECT_EQ(ref.max_outputs, std::numeric_limits<int>::max());
  EXPECT_EQ(train_step_workspace_size(1000, 5000, 100, Backend::ref), 0u);
}

TEST(HostTrainStepLimits, KernelBackendsTakeUpTo1024InputsAnd16Outputs) {
  for (const Backend backend : {Backend::emu, Backend::cuda}) {  // cuda answers without a device
    const TrainStepLimits limits = train_step_limits(backend);
    EXPECT_EQ(limits.max_inputs, 1024) << to_string(backend);
    EXPECT_EQ(limits.max_outputs, 16) << to_string(backend);
    for (const std::int64_t n : {std::int64_t{1}, std::int64_t{65}, std::int64_t{16385}}) {
      EXPECT_EQ(train_step_workspace_size(n, 784, 10, backend),
                kernels::train_step_workspace_layout(n, 784, 10).total_bytes)
          << to_string(backend) << " n = " << n;
    }
    EXPECT_GT(train_step_workspace_size(1, 1024, 16, backend), 0u);
  }
}

TEST(HostTrainStepLimits, WorkspaceQueryRefusesShapesBeyondTheBackend) {
  const auto expect_refused = [](std::int64_t n, int d, int k, Backend backend, const std::string& needle) {
    try {
      train_step_workspace_size(n, d, k, backend);
      ADD_FAILURE() << "accepted n = " << n << ", d = " << d << ", k = " << k << " on " << to_string(backend);
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_refused(1, 1025, 10, Backend::emu, "d = 1025 exceeds the 1024 inputs per row");
  expect_refused(1, 1025, 10, Backend::cuda, "on the cuda backend (the ref backend takes any d)");
  expect_refused(1, 784, 17, Backend::emu, "k = 17 exceeds the 16 outputs per row on the emu backend");
  expect_refused(0, 784, 10, Backend::ref, "n (rows in the batch) must be >= 1, got 0");
  expect_refused(1, 0, 10, Backend::emu, "d (inputs per row) must be >= 1, got 0");
  expect_refused(1, 784, 0, Backend::cuda, "k (outputs per row) must be >= 1, got 0");
}

// The host backends all have the step (cuda's depends on the build); a value
// that names no backend of this build is a BackendError.
TEST(HostTrainStepLimits, ABackendThisBuildLacksIsABackendError) {
  for (const Backend backend : {Backend::ref, Backend::emu, Backend::cpu}) {
    EXPECT_TRUE(has_train_step(backend)) << to_string(backend);
  }
  const auto unknown = static_cast<Backend>(99);
  EXPECT_THROW(train_step_limits(unknown), BackendError);
  EXPECT_THROW(train_step_workspace_size(1, 1, 1, unknown), BackendError);
}

}  // namespace
}  // namespace lossbench
