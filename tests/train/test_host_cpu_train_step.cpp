// The cpu backend's training step and evaluation (Highway SIMD + threads over
// tiles of 16 rows), through the shared verification that `lossbench verify`
// runs (verify_train_step.hpp): every output element within the bound that
// cpu_train_step_sum_lengths states, every output written, nothing around
// them touched, the same bits twice; the trainer's call (u8 pixels, row
// indices at a step cursor, the SGD update with dW and db null). Shapes at
// the cpu backend's edges: d around the vector widths and beyond the
// kernels' 1024, k from 1 to 16, n around the tile and the rounds of 64
// tiles; X one element off alignment. The same bits for 1 to 4 threads and
// on every SIMD target this CPU runs; k = 17 refused; evaluation against the
// reference backend. Every loss: mse, bce and softmax-ce.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common/each_simd_target.hpp"
#include "common/sweep_size.hpp"
#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/core/cpu_threads.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/train/evaluate.hpp"
#include "lossbench/train/train_step.hpp"
#include "lossbench/verify/verify_train_step.hpp"
#include "train/trajectory_check.hpp"

namespace lossbench {
namespace {

constexpr std::uint64_t kSeed = 20261205;
constexpr std::int64_t kTile = 16;       // kCpuTrainTileRows
constexpr std::int64_t kRoundTiles = 64;  // kCpuMaxRoundTiles

class HostCpuTrainStep : public ::testing::Test {
 protected:
  void TearDown() override { set_cpu_threads(0); }
};

void expect_passes(const TrainStepVerifyCase& c) {
  const TrainStepVerifyResult r = verify_train_step_case(c, Backend::cpu);
  EXPECT_TRUE(r.passed()) << c.name() << " seed=" << c.seed << " (dW err " << r.grad_weights_error << ", db err "
                          << r.grad_bias_error << ", L err " << r.loss_error << "):\n"
                          << r.log.report();
}

// The whole sweep `lossbench verify` runs, its 16385-row batch included (the
// quick one under LOSSBENCH_TEST_SWEEPS=quick, common/sweep_size.hpp).
TEST_F(HostCpuTrainStep, VerifySweepMatchesReference) {
  const std::vector<TrainStepVerifyCase> cases = standard_train_step_verify_cases(testing::quick_sweeps(), kSeed);
  for (const TrainStepVerifyCase& c : cases) expect_passes(c);
  EXPECT_GE(cases.size(), 80u);
}

// d: one element, under a vector, Fashion-MNIST, beyond the kernels' 1024 and
// odd; k: one, Fashion-MNIST's classes, the most; n: one row, around a tile,
// several tiles, and two rounds (the second of one tile).
TEST_F(HostCpuTrainStep, EdgeShapesMatchReference) {
  std::vector<TrainStepVerifyCase> cases;
  for (const int d : {1, 7, 784, 1025}) {
    for (const int k : {1, 10, 16}) {
      for (const std::int64_t n : {std::int64_t{1}, kTile - 1, kTile, kTile + 1, 5 * kTile + 3}) {
        append_train_step_verify_cases(cases, n, d, k, {Loss::mse, Loss::bce, Loss::softmax_ce}, false,
                                       kSeed + cases.size());
      }
      append_train_step_verify_cases(cases, kTile + 1, d, k, {Loss::bce, Loss::softmax_ce}, false,
                                     kSeed + cases.size(), /*trainer=*/true);
    }
  }
  append_train_step_verify_cases(cases, kRoundTiles * kTile + 1, 33, 10, {Loss::mse, Loss::bce, Loss::softmax_ce},
                                 false, kSeed);
  append_train_step_verify_cases(cases, kRoundTiles * kTile + 1, 33, 10, {Loss::bce}, false, kSeed, true);
  append_train_step_verify_cases(cases, 3 * kTile, 784, 16, {Loss::mse, Loss::bce, Loss::softmax_ce},
                                 /*saturated=*/true, kSeed);
  for (const TrainStepVerifyCase& c : cases) expect_passes(c);
}

// d = 40000, k = 16: a tile's partials are 2.5 MB, so a round is the minimum
// of 8 tiles and 19 tiles take three rounds.
TEST_F(HostCpuTrainStep, WideRowsTakeSeveralSmallRounds) {
  std::vector<TrainStepVerifyCase> cases;
  append_train_step_verify_cases(cases, 18 * kTile + 5, 40000, 16, {Loss::bce}, false, kSeed);
  for (const TrainStepVerifyCase& c : cases) expect_passes(c);
}

TEST_F(HostCpuTrainStep, SameBitsForOneToFourThreads) {
  std::vector<TrainStepVerifyCase> cases;
  append_train_step_verify_cases(cases, kRoundTiles * kTile + 37, 784, 10, {Loss::mse, Loss::bce, Loss::softmax_ce},
                                 false, kSeed);
  append_train_step_verify_cases(cases, 5 * kTile + 3, 784, 10, {Loss::bce, Loss::softmax_ce}, false, kSeed,
                                 /*trainer=*/true);
  for (const TrainStepVerifyCase& c : cases) {
    set_cpu_threads(1);
    const TrainStepVerifyResult one = verify_train_step_case(c, Backend::cpu);
    ASSERT_TRUE(one.passed()) << c.name() << ":\n" << one.log.report();
    for (const int threads : {2, 3, 4}) {
      set_cpu_threads(threads);
      const TrainStepVerifyResult again = verify_train_step_case(c, Backend::cpu);
      EXPECT_TRUE(again.passed()) << c.name() << ", " << threads << " threads:\n" << again.log.report();
      EXPECT_EQ(again.output_bits, one.output_bits) << c.name() << ", " << threads << " threads";
    }
  }
}

// Every SIMD target compiled in and run by this CPU (AVX-512, AVX2, SSE4, the
// scalar fallback, ...) passes: the fallbacks are what older CPUs run.
TEST_F(HostCpuTrainStep, EverySimdTargetOfThisCpuMatchesReference) {
  std::vector<TrainStepVerifyCase> cases;
  append_train_step_verify_cases(cases, 2 * kTile + 3, 37, 10, {Loss::mse, Loss::bce, Loss::softmax_ce}, false,
                                 kSeed);
  append_train_step_verify_cases(cases, kTile + 1, 33, 5, {Loss::bce, Loss::softmax_ce}, false, kSeed,
                                 /*trainer=*/true);
  testing::for_each_simd_target([&](const char* target) {
    for (const TrainStepVerifyCase& c : cases) {
      const TrainStepVerifyResult r = verify_train_step_case(c, Backend::cpu);
      EXPECT_TRUE(r.passed()) << target << " " << c.name() << ":\n" << r.log.report();
    }
  });
}

TEST(HostCpuTrainStepLimits, AnyInputsAndUpTo16Outputs) {
  const TrainStepLimits limits = train_step_limits(Backend::cpu);
  EXPECT_EQ(limits.max_outputs, 16);
  EXPECT_GE(limits.max_inputs, 1 << 30);
  EXPECT_GT(train_step_workspace_size(64, 100000, 16, Backend::cpu), 0u);
  try {
    train_step_workspace_size(64, 784, 17, Backend::cpu);
    ADD_FAILURE() << "k = 17 was accepted";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("k = 17"), std::string::npos) << message;
    EXPECT_NE(message.find("16 outputs per row on the cpu backend"), std::string::npos) << message;
  }
  TrainStepVerifyCase c;
  c.n = 4;
  c.d = 4;
  c.k = 17;
  EXPECT_THROW(verify_train_step_case(c, Backend::cpu), InputError);
  EXPECT_THROW(evaluate_workspace_size(4, 4, 17, Backend::cpu), InputError);
}

// Evaluation against the reference backend's on logits of order one: the
// loss within 1e-5, the count within two rows (a near tie may flip), for
// d = 1, 33, 784 and 1025, u8 and f32, X aligned and one element off; 1003
// rows end in a short tile. The same bits for 1 to 4 threads.
TEST_F(HostCpuTrainStep, EvaluationMatchesTheReference) {
  constexpr std::int64_t kRows = 1003;
  constexpr int kOutputs = 10;
  for (const InputType type : {InputType::u8, InputType::f32}) {
    for (const int d : {1, 33, 784, 1025}) {
      for (const std::size_t offset : {std::size_t{0}, std::size_t{1}}) {
        const Dataset data = testing::random_pixel_dataset(kRows, d, kOutputs, kSeed + static_cast<std::uint64_t>(d));
        const std::size_t element = type == InputType::u8 ? 1 : sizeof(float);
        std::vector<std::byte> x(offset * element + data.pixels.size() * element + 64);
        const auto aligned = (64 - reinterpret_cast<std::uintptr_t>(x.data()) % 64) % 64;
        std::byte* x_begin = x.data() + aligned + offset * element;
        std::memcpy(x_begin, type == InputType::u8 ? static_cast<const void*>(data.pixels.data()) : data.inputs.data(),
                    data.pixels.size() * element);
        std::vector<float> weights(static_cast<std::size_t>(d) * kOutputs);
        for (std::size_t i = 0; i < weights.size(); ++i) {
          weights[i] = std::sin(static_cast<float>(i)) / std::sqrt(static_cast<float>(d));
        }
        const std::vector<float> bias(kOutputs, 0.1f);
        const auto run = [&](Backend backend, int threads) {
          set_cpu_threads(threads);
          double out[2] = {NAN, NAN};
          EvaluateCall call;
          // Every loss among the shapes and offsets.
          call.loss = std::array{Loss::mse, Loss::bce, Loss::softmax_ce}[(static_cast<std::size_t>(d) + offset) % 3];
          call.inputs = x_begin;
          call.input_type = type;
          call.targets = data.targets.data();
          call.weights = weights.data();
          call.bias = bias.data();
          call.n = kRows;
          call.d = d;
          call.k = kOutputs;
          call.loss_value = &out[0];
          call.correct = &out[1];
          BackendBuffer workspace(backend, evaluate_workspace_size(call.n, d, kOutputs, backend));
          workspace.fill_bytes(0xFF);  // garbage: nothing needs zeroing
          evaluate(call, backend, workspace.data(), workspace.size());
          return std::vector<double>{out[0], out[1]};
        };
        const std::string where = std::string(to_string(type)) + " d = " + std::to_string(d) + " offset " +
                                  std::to_string(offset);
        const std::vector<double> ref = run(Backend::ref, 0);
        const std::vector<double> cpu = run(Backend::cpu, 1);
        EXPECT_NEAR(cpu[0], ref[0], 1e-5 * ref[0]) << where;
        EXPECT_NEAR(cpu[1], ref[1], 2.0) << where << ": a near tie may flip";
        EXPECT_EQ(cpu[1], std::floor(cpu[1])) << where << ": a count";
        for (const int threads : {2, 3, 4}) {
          const std::vector<double> again = run(Backend::cpu, threads);
          EXPECT_EQ(std::memcmp(again.data(), cpu.data(), 2 * sizeof(double)), 0) << where << ", " << threads;
        }
      }
    }
  }
}

}  // namespace
}  // namespace lossbench
