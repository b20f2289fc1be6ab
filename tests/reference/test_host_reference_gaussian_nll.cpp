// The double-precision Gaussian NLL reference: gradients against central
// differences where var > eps, and PyTorch's values and gradients pinned,
// including the gradient through its clamp at var < eps (torch 2.15.0 in
// float64 on CPU, rechecked 2026-12-07, bit-for-bit; code beside the constants).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "lossbench/core/error.hpp"
#include "lossbench/core/loss_kind.hpp"
#include "lossbench/reference/gaussian_nll_reference.hpp"
#include "reference_oracle.hpp"

namespace lossbench {
namespace {

namespace ref = reference;
using test::within;

TEST(HostReferenceGaussianNll, GradientsMatchFiniteDifferencesAboveEps) {
  for (const std::uint64_t seed : test::kSeeds) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 2.0);
    std::uniform_real_distribution<double> log_var(-6.0, 3.0);
    for (int i = 0; i < 200; ++i) {
      const double mu = normal(rng);
      const double y = normal(rng);
      const double var = std::exp(log_var(rng));
      for (const bool full : {false, true}) {
        SCOPED_TRACE(::testing::Message() << "seed=" << seed << " mu=" << mu << " y=" << y << " var=" << var);
        const ref::GaussianNllOptions options{1e-6, full};
        const ref::GaussianNllElement e = ref::gaussian_nll(mu, y, var, options);
        const double h_mu = 1e-6;
        const double h_var = 1e-6 * var;
        const double d_mu = (ref::gaussian_nll(mu + h_mu, y, var, options).loss -
                             ref::gaussian_nll(mu - h_mu, y, var, options).loss) / (2 * h_mu);
        const double d_var = (ref::gaussian_nll(mu, y, var + h_var, options).loss -
                              ref::gaussian_nll(mu, y, var - h_var, options).loss) / (2 * h_var);
        // Truncation ~h²·f''' and rounding ~ε·|ℓ|/h, scaled by the curvature 1/v.
        const double scale = (1.0 + std::fabs(e.loss)) / var;
        EXPECT_TRUE(within("dℓ/dμ", e.grad_mean, d_mu, 1e-7 * scale));
        EXPECT_TRUE(within("dℓ/dvar", e.grad_var, d_var, 1e-7 * scale / var));
      }
    }
  }
}

TEST(HostReferenceGaussianNll, NegativeVarianceIsAnInputError) {
  const std::vector<double> x = {0.0, 0.0};
  EXPECT_THROW(ref::gaussian_nll(x, x, std::vector<double>{1.0, -1e-9}, {}, Reduction::sum), InputError);
  EXPECT_THROW(ref::gaussian_nll(x, x, std::vector<double>{1.0}, {}, Reduction::sum), InputError);
}

// mu = torch.tensor([0.5, -1.0, 2.0, 0.0], dtype=torch.float64, requires_grad=True)
// y = torch.tensor([1.0, -1.5, 2.0, 3.0], dtype=torch.float64)
// var = torch.tensor([0.25, 2.0, 1e-8, 0.0], dtype=torch.float64, requires_grad=True)
// l = F.gaussian_nll_loss(mu, y, var, full=F_, eps=1e-6, reduction=R); l.sum().backward()
// The last two variances are below eps: torch clamps them to 1e-6 under
// torch.no_grad(), so ∂ℓ/∂var is ½(1/eps − r²/eps²) there, not 0:
// 5e5 for r = 0, −4.4999995e12 for r = 3.
const std::vector<double> kMu = {0.5, -1.0, 2.0, 0.0};
const std::vector<double> kY = {1.0, -1.5, 2.0, 3.0};
const std::vector<double> kVar = {0.25, 2.0, 1e-8, 0.0};

void expect_values(const char* what, const std::vector<double>& got, const std::vector<double>& torch) {
  ASSERT_EQ(got.size(), torch.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_TRUE(within(what, got[i], torch[i], 1e-14 * (1.0 + std::fabs(torch[i])))) << "index " << i;
  }
}

TEST(HostReferenceGaussianNllPyTorch, NoneAndClampGradient) {
  const auto r = ref::gaussian_nll(kMu, kY, kVar, {1e-6, false}, Reduction::none);
  expect_values("loss", r.losses, {-0.1931471805599453, 0.40907359027997264, -6.907755278982137, 4499993.092244721});
  expect_values("dmu", r.grad_mean, {-2.0, 0.25, 0.0, -3000000.0});
  expect_values("dvar", r.grad_var, {0.0, 0.21875, 500000.0, -4499999500000.0});
}

TEST(HostReferenceGaussianNllPyTorch, FullAndReductions) {
  const auto none = ref::gaussian_nll(kMu, kY, kVar, {1e-6, true}, Reduction::none);
  expect_values("full", none.losses, {0.7257913526447274, 1.3280121234846454, -5.988816745777465, 4499994.011183254});
  const auto sum = ref::gaussian_nll(kMu, kY, kVar, {1e-6, true}, Reduction::sum);
  expect_values("sum", {*sum.reduced_loss}, {4499990.076169984});
  const auto mean = ref::gaussian_nll(kMu, kY, kVar, {1e-6, false}, Reduction::mean);
  expect_values("mean", {*mean.reduced_loss}, {1124996.600103963});
  expect_values("mean dmu", mean.grad_mean, {-0.5, 0.0625, 0.0, -750000.0});
  expect_values("mean dvar", mean.grad_var, {0.0, 0.0546875, 125000.0, -1124999875000.0});
}

}  // namespace
}  // namespace lossbench
