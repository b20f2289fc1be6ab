// The float32 per-element math of loss_math.cuh against the double-precision
// reference over a dense sweep of (z, y): every gradient within the bound of
// fused_loss_bounds.hpp, and the worst errors, printed, within what the
// choice of the a − y form promises. The figures printed here are the ones
// docs/PERF.md's "Accuracy of a − y" quotes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "kernels/loss/loss_math.cuh"
#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"

namespace lossbench {
namespace {

constexpr double kUlp = 0x1p-24;  // float32's unit roundoff

// z on a grid of 2^-8 over [-16, 16] and a few saturated values.
std::vector<float> sweep_logits() {
  std::vector<float> z;
  for (int i = -4096; i <= 4096; ++i) z.push_back(static_cast<float>(i) * 0x1p-8f);
  for (const float big : {20.0f, 40.0f, 88.0f, 100.0f, 1e4f}) {
    z.push_back(big);
    z.push_back(-big);
  }
  return z;
}

// y over [0, 1] on a grid of 2^-11, and as many values with full mantissas
// (for which 1 − y and ½ − y are rounded), the 0.49857, and for each
// z the targets nearest to σ(z), where a − y cancels.
std::vector<float> sweep_targets(float z) {
  std::vector<float> y;
  for (int j = 0; j <= 2048; ++j) y.push_back(static_cast<float>(j) * 0x1p-11f);
  for (int j = 0; j < 2048; ++j) y.push_back(static_cast<float>((j + 0.318309886) / 2048.7));
  y.push_back(0.49857f);
  float near = static_cast<float>(reference::sigmoid(z));
  for (int step = 0; step < 4; ++step) near = std::nextafter(near, 0.0f);
  for (int step = 0; step < 9 && near <= 1.0f; ++step, near = std::nextafter(near, 2.0f)) y.push_back(near);
  return y;
}

struct Worst {
  double bound_units = 0;     // |g − g_ref| / bound
  double relative = 0;        // |g − g_ref| / |g_ref|, g_ref != 0
  double mixed_relative = 0;  // the same where a and y lie on opposite sides of ½
  double ulps_of_terms = 0;   // |g − g_ref| / (2^-24 · (|g_ref| + s)), s the terms' size; |z| < 80
  float z = 0;                // where ulps_of_terms is largest
  float y = 0;
};

template <class Loss>
Worst sweep(lossbench::Loss loss, float pos_weight) {
  Worst worst;
  kernels::LossParams params;
  params.pos_weight = pos_weight;
  for (const float z : sweep_logits()) {
    for (const float y : sweep_targets(z)) {
      const double g = Loss::eval(z, y, params).grad;
      const double g_ref = reference::elementwise(loss, z, y, pos_weight).grad;
      const ElementBoundInput input{loss, DType::f32, z, y, pos_weight, 1.0};
      const double bound = grad_error_bound(input, g_ref);
      const double error = std::fabs(g - g_ref);
      const double units = error_in_bound_units(g, g_ref, bound);
      EXPECT_LE(units, 1.0) << "z=" << z << " y=" << y << " g=" << g << " g_ref=" << g_ref;
      const double terms = (grad_error_bound(input, g_ref) - kGradMathRelativeBound * std::fabs(g_ref) -
                            output_underflow(DType::f32) - kFloatMathUnderflow * (1.0 + std::fmax(1.0, pos_weight))) /
                           kGradMathRelativeBound;  // s_i, recovered from the bound
      const double ulps = error / (kUlp * (std::fabs(g_ref) + terms));
      if (units > worst.bound_units) worst.bound_units = units;
      if (g_ref != 0.0) worst.relative = std::fmax(worst.relative, error / std::fabs(g_ref));
      if (g_ref != 0.0 && std::fabs(z) < 80.0f && (z >= 0.0f) != (y >= 0.5f) && y != 0.5f) {
        worst.mixed_relative = std::fmax(worst.mixed_relative, error / std::fabs(g_ref));
      }
      // Beyond |z| = 80 float32's e^{−|z|} is subnormal: the bound's absolute floor f covers that.
      if (std::fabs(z) < 80.0f && ulps > worst.ulps_of_terms) {
        worst.ulps_of_terms = ulps;
        worst.z = z;
        worst.y = y;
      }
    }
  }
  return worst;
}

void print(const char* name, const Worst& w) {
  std::printf("%s: worst %.3g of the bound, %.3g ulps of |g_ref| + s_i (at z=%.9g y=%.9g); relative error up to %.3g, "
              "%.3g ulps where a and y are on opposite sides of 1/2\n",
              name, w.bound_units, w.ulps_of_terms, w.z, w.y, w.relative, w.mixed_relative / kUlp);
}

TEST(LossMathSweep, BceGradientWithinBoundAndFewUlpsOfItsTerms) {
  const Worst w = sweep<kernels::BceLoss>(Loss::bce, 1.0f);
  print("bce", w);
  EXPECT_LE(w.ulps_of_terms, 4.0);
  EXPECT_LE(w.mixed_relative, 4.0 * kUlp);
}

TEST(LossMathSweep, BcePosWeightGradientWithinBound) {
  for (const float p : {0.25f, 3.0f}) {
    const Worst w = sweep<kernels::BceLoss>(Loss::bce, p);
    print(p < 1 ? "bce p=0.25" : "bce p=3", w);
    EXPECT_LE(w.ulps_of_terms, 4.0);
  }
}

TEST(LossMathSweep, MseGradientWithinBoundAndFewUlpsOfItsTerms) {
  const Worst w = sweep<kernels::MseLoss>(Loss::mse, 1.0f);
  print("mse", w);
  EXPECT_LE(w.ulps_of_terms, 6.0);
  EXPECT_LE(w.mixed_relative, 8.0 * kUlp);  // a − y, then times a(1 − a)
}

// MSE on the raw output: z − y is one correctly rounded subtraction, so the
// gradient and the loss are within the bound with no cancellation term, and
// ½(z − y)² overflows exactly where the exact value leaves float32's range.
TEST(LossMathSweep, IdentityMseWithinBoundWithoutCancellationTerm) {
  std::vector<float> reals;  // every 64th logit of the sweep, and far values
  const std::vector<float> logits = sweep_logits();
  for (std::size_t i = 0; i < logits.size(); i += 64) reals.push_back(logits[i]);
  for (const float y : {0.3f, -7.25f, 1e-30f, 3e19f, -2.6e19f, 1e30f, 3.4e38f}) reals.push_back(y);
  const kernels::LossParams params;
  double worst = 0.0;
  for (const float z : reals) {
    for (const float y : reals) {
      const kernels::LossAndGrad r = kernels::IdentityMseLoss::eval(z, y, params);
      const reference::LossAndGrad want = reference::identity_mse(z, y);
      const ElementBoundInput input{Loss::mse, DType::f32, z, y, 1.0, 1.0, Activation::identity};
      const double g_ref = expected_output(DType::f32, want.grad);
      const double l_ref = expected_output(DType::f32, want.loss);
      const double g_units = error_in_bound_units(r.grad, g_ref, grad_error_bound(input, g_ref));
      const double l_units = error_in_bound_units(r.loss, l_ref, elementwise_loss_error_bound(input, l_ref));
      ASSERT_LE(g_units, 1.0) << "z=" << z << " y=" << y << " g=" << r.grad << " ref " << want.grad;
      ASSERT_LE(l_units, 1.0) << "z=" << z << " y=" << y << " loss=" << r.loss << " ref " << want.loss;
      worst = std::fmax(worst, std::fmax(g_units, l_units));
    }
  }
  std::printf("mse-identity: worst %.3g of the bound\n", worst);
  // Just inside and just past the overflow of ½d² (d = 2.6087e19).
  EXPECT_TRUE(std::isfinite(kernels::IdentityMseLoss::eval(2.6e19f, 0.0f, params).loss));
  EXPECT_TRUE(std::isinf(kernels::IdentityMseLoss::eval(2.7e19f, 0.0f, params).loss));
}

TEST(LossMathSweep, ExpectedOutputIsTheInfinityAReferenceBeyondTheRangeRoundsTo) {
  EXPECT_EQ(expected_output(DType::f16, 65519.0), 65519.0);
  EXPECT_TRUE(std::isinf(expected_output(DType::f16, 65520.0)));
  EXPECT_LT(expected_output(DType::f16, -1e5), 0.0);
  EXPECT_TRUE(std::isinf(expected_output(DType::f16, -1e5)));
  EXPECT_EQ(expected_output(DType::f32, 3.4028234e38), 3.4028234e38);
  EXPECT_TRUE(std::isinf(expected_output(DType::f32, 3.41e38)));
  EXPECT_TRUE(std::isinf(expected_output(DType::bf16, 3.4e38)));  // bf16's largest is 3.3895e38
  EXPECT_EQ(expected_output(DType::bf16, 3.39e38), 3.39e38);      // rounds down to it
  EXPECT_EQ(expected_output(DType::f32, 3.4e38), 3.4e38);
  EXPECT_TRUE(std::isnan(expected_output(DType::f32, std::nan(""))));
}

// The example: at z = 0, σ(0) = ½ is exact, so is ½ − y for y near ½.
TEST(LossMathSweep, HalfMinusTargetAtZeroIsExact) {
  const float y = 0.49857f;
  const kernels::LossParams params;
  EXPECT_EQ(kernels::BceLoss::eval(0.0f, y, params).grad, 0.5f - y);
  EXPECT_EQ(kernels::MseLoss::eval(0.0f, y, params).grad, (0.5f - y) * 0.25f);
}

}  // namespace
}  // namespace lossbench
