// The unfused softmax cross-entropy baseline's kernels, emulated, against the
// double-precision reference: every softmax-ce speed-up the benchmarks report
// is measured against this baseline, so it must compute what it claims.
// Shapes on both sides of the warp-per-row / block-per-row switch (V = 1024),
// a row longer than the block, ignored rows, and a row shorter than a warp.
//
// Bounds, in units of the per-row gradient (g · count) and of the mean loss:
// f32 rounds log p once (ulps of |log p| ≲ 20, so 1e-5 relative suffices).
// bf16 stores log p with 2^-9 relative error: exp of it is off by
// p·|log p|·2^-9 ≤ e⁻¹·2^-9 ≈ 7e-4 absolute, and g itself rounds to 2^-9
// relative; the loss is a mean of bf16-rounded −log p, so 2^-8 relative.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "lossbench/core/error.hpp"
#include "lossbench/loss/softmax_unfused_baseline.hpp"
#include "lossbench/reference/softmax_reference.hpp"

namespace lossbench {
namespace {

struct Shape {
  std::int64_t rows;
  std::int64_t classes;
};

struct Tolerance {
  double grad_abs, grad_rel, loss_rel;
};

Tolerance tolerance(DType dtype) {
  if (dtype == DType::f32) return {1e-6, 1e-5, 1e-5};
  return {1e-3, 1.0 / 256, 1.0 / 256};
}

void expect_matches_reference(DType dtype, Shape shape, std::uint64_t seed) {
  const std::int64_t n = shape.rows * shape.classes;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> logit(0.0, 3.0);
  std::vector<unsigned char> z(static_cast<std::size_t>(n) * dtype_size(dtype)), g(z.size());
  std::vector<double> z_double(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    store_from_double(z.data(), dtype, static_cast<std::size_t>(i), logit(rng));
    z_double[static_cast<std::size_t>(i)] = load_as_double(z.data(), dtype, static_cast<std::size_t>(i));
  }
  std::vector<std::int64_t> labels(static_cast<std::size_t>(shape.rows));
  for (std::int64_t r = 0; r < shape.rows; ++r) {
    // Every fifth row ignored: the mean divides by the others.
    labels[static_cast<std::size_t>(r)] = r % 5 == 3 ? -100 : static_cast<std::int64_t>(rng() % shape.classes);
  }
  double loss = 0;
  SoftmaxLossCall call;
  call.dtype = dtype;
  call.logits = z.data();
  call.targets = labels.data();
  call.grad = g.data();
  call.reduced_loss = &loss;
  call.rows = shape.rows;
  call.classes = shape.classes;
  call.grad_scale = 2.0f;
  SoftmaxUnfusedBaseline baseline(Backend::emu, call);
  baseline.run(call, nullptr);
  baseline.run(call, nullptr);  // twice: the first must leave its count at 0

  const reference::SoftmaxBatchResult want =
      reference::softmax_ce_hard(z_double, shape.classes, labels, {}, Reduction::mean);
  const std::string where = std::string(to_string(dtype)) + " rows = " + std::to_string(shape.rows) +
                            " classes = " + std::to_string(shape.classes);
  const Tolerance tol = tolerance(dtype);
  ASSERT_TRUE(want.reduced_loss.has_value());
  EXPECT_NEAR(loss, *want.reduced_loss, tol.loss_rel * std::abs(*want.reduced_loss)) << where;
  const auto count = static_cast<double>(want.counted_rows);
  int mismatches = 0;
  for (std::int64_t i = 0; i < n && mismatches < 10; ++i) {
    const double got = load_as_double(g.data(), dtype, static_cast<std::size_t>(i)) * count / 2.0;
    const double ref = want.grad[static_cast<std::size_t>(i)] * count;
    if (std::abs(got - ref) > tol.grad_abs + tol.grad_rel * std::abs(ref)) {
      ADD_FAILURE() << where << ": g·count/grad_scale at row " << i / shape.classes << " class "
                    << i % shape.classes << " is " << got << ", the reference " << ref;
      ++mismatches;
    }
  }
}

class KernelsSoftmaxUnfusedBaseline : public ::testing::TestWithParam<DType> {};

TEST_P(KernelsSoftmaxUnfusedBaseline, MatchesTheReference) {
  const Shape shapes[] = {{7, 10}, {9, 31}, {5, 1024}, {3, 1025}, {2, 3000}, {1, 5}};
  std::uint64_t seed = 1;
  for (const Shape shape : shapes) expect_matches_reference(GetParam(), shape, seed++);
}

INSTANTIATE_TEST_SUITE_P(Dtypes, KernelsSoftmaxUnfusedBaseline,
                         ::testing::Values(DType::f32, DType::f16, DType::bf16),
                         [](const ::testing::TestParamInfo<DType>& dtype) {
                           return std::string(to_string(dtype.param));
                         });

TEST(KernelsSoftmaxUnfusedBaselineCalls, RefusesWhatItDoesNotCompute) {
  std::vector<float> z(8, 0.0f), g(8);
  std::vector<std::int64_t> labels(2, 0);
  double loss = 0;
  SoftmaxLossCall call;
  call.logits = z.data();
  call.targets = labels.data();
  call.grad = g.data();
  call.reduced_loss = &loss;
  call.rows = 2;
  call.classes = 4;
  SoftmaxUnfusedBaseline baseline(Backend::emu, call);
  SoftmaxLossCall smoothed = call;
  smoothed.label_smoothing = 0.1f;
  EXPECT_THROW(baseline.run(smoothed, nullptr), InputError);
  SoftmaxLossCall other_shape = call;
  other_shape.classes = 2;
  other_shape.rows = 4;
  EXPECT_THROW(baseline.run(other_shape, nullptr), InputError);
  try {
    SoftmaxUnfusedBaseline on_ref(Backend::ref, call);
    ADD_FAILURE() << "the ref backend has no unfused softmax baseline, yet one was set up";
  } catch (const BackendError& e) {
    EXPECT_STREQ(e.what(), "backend ref cannot run the unfused softmax baseline");
  }
}

}  // namespace
}  // namespace lossbench
