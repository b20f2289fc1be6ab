// The gaussian_nll() API: every bad call is an InputError naming the
// problem, a negative variance is found by validate_gaussian_nll_var(), and
// on the ref backend every output is the double reference's value rounded
// once to the dtype (bit for bit). Every backend answers the workspace size.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common/expect_input_error.hpp"
#include "lossbench/loss/gaussian_nll.hpp"
#include "lossbench/reference/gaussian_nll_reference.hpp"

namespace lossbench {
namespace {

constexpr std::int64_t kN = 8;

void expect_rejected(const GaussianNllCall& bad, const std::string& needle) {
  testing::expect_input_error([&] { validate(bad); }, needle);
}

class HostGaussianNllApi : public ::testing::Test {
 protected:
  HostGaussianNllApi() : mu(kN), y(kN), var(kN), g_mu(kN), g_var(kN), l(kN) {
    for (std::int64_t i = 0; i < kN; ++i) {
      mu[i] = 0.5f * static_cast<float>(i) - 1.0f;
      y[i] = 0.3f * static_cast<float>(i * i % 5);
      var[i] = i == 2 ? 0.0f : 0.25f * static_cast<float>(i + 1);  // one below eps: clamped
    }
    call.mu = mu.data();
    call.target = y.data();
    call.var = var.data();
    call.grad_mu = g_mu.data();
    call.grad_var = g_var.data();
    call.reduced_loss = &loss;
    call.n = kN;
  }

  std::vector<float> mu, y, var, g_mu, g_var, l;
  double loss = 0;
  GaussianNllCall call;
};

TEST_F(HostGaussianNllApi, AcceptsAWellFormedCallAndComputesOnRef) {
  EXPECT_NO_THROW(validate(call));
  EXPECT_EQ(gaussian_nll_workspace_size(kN, Reduction::mean, Backend::ref), 0u);
  gaussian_nll(call, Backend::ref, nullptr, 0);
  const reference::GaussianNllElement e = reference::gaussian_nll(mu[5], y[5], var[5], {1e-6f, false});
  EXPECT_FLOAT_EQ(g_mu[5], static_cast<float>(e.grad_mean / kN));
  EXPECT_FLOAT_EQ(g_var[5], static_cast<float>(e.grad_var / kN));
  EXPECT_TRUE(std::isfinite(loss));
}

TEST_F(HostGaussianNllApi, RejectsUnknownEnumsAndNegativeSize) {
  GaussianNllCall bad = call;
  bad.reduction = static_cast<Reduction>(9);
  expect_rejected(bad, "unknown reduction value 9");
  bad = call;
  bad.dtype = static_cast<DType>(5);
  expect_rejected(bad, "unknown dtype value 5");
  bad = call;
  bad.n = -1;
  expect_rejected(bad, "n must be >= 0, got -1");
}

TEST_F(HostGaussianNllApi, RejectsMissingOrSuperfluousPointersAndBadScalars) {
  GaussianNllCall bad = call;
  bad.mu = nullptr;
  expect_rejected(bad, "mu is null with n = 8");
  bad = call;
  bad.target = nullptr;
  expect_rejected(bad, "target is null");
  bad = call;
  bad.var = nullptr;
  expect_rejected(bad, "var is null");
  bad = call;
  bad.reduced_loss = nullptr;
  expect_rejected(bad, "reduced_loss is null but reduction mean needs it");
  bad = call;
  bad.reduction = Reduction::none;
  expect_rejected(bad, "reduced_loss is set but reduction none");
  bad = call;
  bad.elementwise_loss = l.data();
  expect_rejected(bad, "only reduction none writes per-element losses");
  for (const float eps : {-1e-6f, INFINITY, NAN}) {
    bad = call;
    bad.eps = eps;
    expect_rejected(bad, "eps must be finite and >= 0");
  }
  bad = call;
  bad.grad_scale = NAN;
  expect_rejected(bad, "grad_scale must be finite");
  GaussianNllCall empty;
  double sum = -1;
  empty.reduction = Reduction::sum;
  empty.reduced_loss = &sum;
  gaussian_nll(empty, Backend::ref, nullptr, 0);
  EXPECT_EQ(sum, 0.0);
}

TEST_F(HostGaussianNllApi, RejectsOverlapsButAllowsEachGradientExactlyInPlace) {
  GaussianNllCall in_place = call;
  in_place.grad_mu = mu.data();
  in_place.grad_var = var.data();
  EXPECT_NO_THROW(validate(in_place));
  GaussianNllCall bad = call;
  bad.grad_mu = mu.data() + 1;
  expect_rejected(bad, "grad_mu overlaps mu without being exactly in place");
  bad = call;
  bad.grad_mu = var.data();
  expect_rejected(bad, "grad_mu overlaps var");
  bad = call;
  bad.grad_var = y.data();
  expect_rejected(bad, "grad_var overlaps target");
  bad = call;
  bad.grad_var = g_mu.data() + 2;
  expect_rejected(bad, "grad_mu overlaps grad_var");
  bad = call;
  bad.reduced_loss = reinterpret_cast<double*>(g_var.data() + 2);
  expect_rejected(bad, "grad_var overlaps reduced_loss");
}

TEST_F(HostGaussianNllApi, ANegativeVarianceIsNamedOnTheHostAndRefusedByRef) {
  EXPECT_NO_THROW(validate_gaussian_nll_var(call));
  var[6] = -0.5f;
  const std::string needle = "var[6] = -0.500000 is negative";
  testing::expect_input_error([&] { validate_gaussian_nll_var(call); }, needle, "a negative variance");
  testing::expect_input_error([&] { gaussian_nll(call, Backend::ref, nullptr, 0); }, needle, "a negative variance");
}

// Every backend answers the workspace size, even cuda in a build without
// it: one float partial per 4096-element tile and a counter (emu, cuda), one
// double per 8192-element tile (cpu), nothing for reduction none.
TEST_F(HostGaussianNllApi, EveryBackendAnswersTheWorkspaceSize) {
  for (const Backend backend : {Backend::ref, Backend::emu, Backend::cpu, Backend::cuda}) {
    SCOPED_TRACE(to_string(backend));
    EXPECT_EQ(gaussian_nll_workspace_size(kN, Reduction::none, backend), 0u);
  }
  EXPECT_EQ(gaussian_nll_workspace_size(kN, Reduction::mean, Backend::emu), 32u);
  EXPECT_EQ(gaussian_nll_workspace_size(4097, Reduction::sum, Backend::cuda), 32u);
  EXPECT_EQ(gaussian_nll_workspace_size(8193, Reduction::sum, Backend::cpu), 16u);
}

// ---------------------------------------------------------------------------
// ref against the reference, bit for bit after rounding

struct Stored {
  DType dtype;
  std::vector<unsigned char> bytes;
  Stored(DType d, std::size_t count) : dtype(d), bytes(count * dtype_size(d)) {}
  void set(std::size_t i, double v) { store_from_double(bytes.data(), dtype, i, v); }
  double get(std::size_t i) const { return load_as_double(bytes.data(), dtype, i); }
  std::vector<double> all() const {
    std::vector<double> v(bytes.size() / dtype_size(dtype));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = get(i);
    return v;
  }
};

void expect_rounded(const char* what, const Stored& actual, const std::vector<double>& expected, double multiplier) {
  Stored rounded(actual.dtype, expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) rounded.set(i, expected[i] * multiplier);
  ASSERT_EQ(actual.bytes.size(), rounded.bytes.size()) << what;
  const std::size_t w = dtype_size(actual.dtype);
  int mismatches = 0;
  for (std::size_t i = 0; i < expected.size() && mismatches < 5; ++i) {
    if (std::memcmp(&actual.bytes[i * w], &rounded.bytes[i * w], w) != 0) {
      ADD_FAILURE() << what << "[" << i << "] = " << actual.get(i) << ", expected " << rounded.get(i);
      ++mismatches;
    }
  }
}

struct RefCase {
  const char* name;
  Reduction reduction;
  DType dtype;
  bool full = false;
  bool in_place = false;
  float grad_scale = 1.0f;
};

std::ostream& operator<<(std::ostream& os, const RefCase& c) { return os << c.name; }

class HostGaussianNllRef : public ::testing::TestWithParam<RefCase> {};

TEST_P(HostGaussianNllRef, EqualsTheReferenceRoundedOnce) {
  const RefCase& c = GetParam();
  constexpr std::size_t n = 37;
  Stored mu(c.dtype, n), y(c.dtype, n), var(c.dtype, n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<double>(i);
    mu.set(i, 2.0 * std::sin(0.9 * x));
    y.set(i, std::cos(0.4 * x));
    var.set(i, i % 9 == 0 ? 0.0 : 0.05 * x);  // var = 0 is clamped to eps
  }
  const std::vector<double> mu_d = mu.all(), y_d = y.all(), var_d = var.all();
  Stored g_mu(c.dtype, n), g_var(c.dtype, n), losses(c.dtype, n);
  double reduced = -1;
  GaussianNllCall call;
  call.reduction = c.reduction;
  call.dtype = c.dtype;
  call.mu = mu.bytes.data();
  call.target = y.bytes.data();
  call.var = var.bytes.data();
  call.grad_mu = c.in_place ? mu.bytes.data() : g_mu.bytes.data();
  call.grad_var = c.in_place ? var.bytes.data() : g_var.bytes.data();
  const bool none = c.reduction == Reduction::none;
  call.elementwise_loss = none ? losses.bytes.data() : nullptr;
  call.reduced_loss = none ? nullptr : &reduced;
  call.n = static_cast<std::int64_t>(n);
  call.eps = 1e-3f;
  call.full = c.full;
  call.grad_scale = c.grad_scale;
  gaussian_nll(call, Backend::ref, nullptr, 0);

  const reference::GaussianNllResult expected =
      reference::gaussian_nll(mu_d, y_d, var_d, {1e-3f, c.full}, c.reduction);
  expect_rounded("grad_mu", c.in_place ? mu : g_mu, expected.grad_mean, c.grad_scale);
  expect_rounded("grad_var", c.in_place ? var : g_var, expected.grad_var, c.grad_scale);
  if (none) {
    expect_rounded("elementwise_loss", losses, expected.losses, 1.0);
  } else {
    EXPECT_EQ(reduced, *expected.reduced_loss);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, HostGaussianNllRef,
                         ::testing::Values(RefCase{"mean_f32", Reduction::mean, DType::f32},
                                           RefCase{"sum_full_f16", Reduction::sum, DType::f16, true},
                                           RefCase{"none_bf16", Reduction::none, DType::bf16},
                                           RefCase{"mean_in_place_scaled_f16", Reduction::mean, DType::f16, false,
                                                   true, 64.0f},
                                           RefCase{"none_full_in_place_f32", Reduction::none, DType::f32, true,
                                                   true}),
                         [](const ::testing::TestParamInfo<RefCase>& param) { return std::string(param.param.name); });

}  // namespace
}  // namespace lossbench
