// The float32 Gaussian NLL of gaussian_nll_math.cuh against the double
// reference over a sweep of (μ, y, var), var below, at and above eps (and 0),
// with and without `full`: loss and both gradients within the bounds of
// gaussian_nll_bounds.hpp. Prints the worst error in units of the bound.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "kernels/loss/gaussian_nll_math.cuh"
#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/loss/gaussian_nll_bounds.hpp"
#include "lossbench/reference/gaussian_nll_reference.hpp"

namespace lossbench {
namespace {

TEST(GaussianNllMath, SweepWithinBounds) {
  const float eps = 1e-6f;
  std::vector<float> values;  // μ and y
  for (int i = -40; i <= 40; ++i) values.push_back(static_cast<float>(i) * 0.37f);
  for (const float big : {1e3f, -1e3f, 1e4f}) values.push_back(big);
  std::vector<float> variances = {0.0f, 1e-9f, 5e-7f, eps, std::nextafter(eps, 1.0f)};
  for (int e = -12; e <= 12; ++e) variances.push_back(std::ldexp(1.3f, e));
  double worst_loss = 0, worst_mean = 0, worst_var = 0;
  for (const bool full : {false, true}) {
    const kernels::GaussianNllParams params{eps, full};
    const reference::GaussianNllOptions options{eps, full};
    for (const float mu : values) {
      for (const float y : values) {
        for (const float var : variances) {
          const kernels::GaussianNllResult got = kernels::gaussian_nll(mu, y, var, params);
          const reference::GaussianNllElement want = reference::gaussian_nll(mu, y, var, options);
          const GaussianNllBoundInput input{mu, y, var, eps, full};
          const double l = error_in_bound_units(got.loss, want.loss, gaussian_nll_loss_error_bound(input, want.loss));
          const double m = error_in_bound_units(got.grad_mean, want.grad_mean,
                                                gaussian_nll_grad_mean_error_bound(input, want.grad_mean));
          const double v = error_in_bound_units(got.grad_var, want.grad_var,
                                                gaussian_nll_grad_var_error_bound(input, want.grad_var));
          EXPECT_LE(std::max({l, m, v}), 1.0) << "mu=" << mu << " y=" << y << " var=" << var << " full=" << full
                                              << ": loss " << got.loss << " vs " << want.loss << ", dmu "
                                              << got.grad_mean << " vs " << want.grad_mean << ", dvar "
                                              << got.grad_var << " vs " << want.grad_var;
          worst_loss = std::max(worst_loss, l);
          worst_mean = std::max(worst_mean, m);
          worst_var = std::max(worst_var, v);
        }
      }
    }
  }
  std::printf("gaussian nll, worst error in units of the bound: loss %.3g, d/dmu %.3g, d/dvar %.3g\n", worst_loss,
              worst_mean, worst_var);
}

// Below eps the variance gradient is the derivative at eps, straight through
// the clamp (PyTorch's no_grad clamp), and a NaN variance stays NaN.
TEST(GaussianNllMath, ClampPassesTheGradientThroughAndKeepsNaN) {
  const kernels::GaussianNllParams params{1e-6f, false};
  const kernels::GaussianNllResult at_zero = kernels::gaussian_nll(0.0f, 3.0f, 0.0f, params);
  const kernels::GaussianNllResult at_eps = kernels::gaussian_nll(0.0f, 3.0f, 1e-6f, params);
  EXPECT_EQ(at_zero.grad_var, at_eps.grad_var);
  EXPECT_LT(at_zero.grad_var, -4e12f);
  EXPECT_TRUE(std::isnan(kernels::gaussian_nll(0.0f, 1.0f, std::nanf(""), params).loss));
}

// eps = 0 lets v be 0: PyTorch's float32 autograd gives a NaN loss, ±inf
// (NaN at r = 0) for ∂ℓ/∂μ and NaN for ∂ℓ/∂var (½/v − ½r²/v² = inf − inf),
// as the reference does; the factored ½(1 − r²/v)/v would give −inf.
// (Checked with torch 2.15.0 on CPU, 2026-12-07, float32 and float64:
// F.gaussian_nll_loss(mu, y, var, eps=0.0, reduction='none') at var = 0.)
TEST(GaussianNllMath, AZeroVarianceWithZeroEpsIsNaNAsInPyTorch) {
  const kernels::GaussianNllParams params{0.0f, false};
  const kernels::GaussianNllResult off = kernels::gaussian_nll(0.0f, 3.0f, 0.0f, params);
  EXPECT_TRUE(std::isnan(off.loss));
  EXPECT_EQ(off.grad_mean, -INFINITY);
  EXPECT_TRUE(std::isnan(off.grad_var));
  const kernels::GaussianNllResult on = kernels::gaussian_nll(2.0f, 2.0f, 0.0f, params);
  EXPECT_TRUE(std::isnan(on.loss));
  EXPECT_TRUE(std::isnan(on.grad_mean));
  EXPECT_TRUE(std::isnan(on.grad_var));
  const reference::GaussianNllElement ref = reference::gaussian_nll(0.0, 3.0, 0.0, {0.0, false});
  EXPECT_TRUE(std::isnan(ref.grad_var));
}

}  // namespace
}  // namespace lossbench
