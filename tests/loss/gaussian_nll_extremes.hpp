#pragma once
// The Gaussian NLL on extreme inputs, on any backend, against the reference
// (verify_gaussian_nll.hpp): every combination of μ, y and var drawn from
// the edges (var = 0 and below eps, residuals of 1e4 and 2e4, ±inf and NaN
// in each input), so that a NaN or infinite input gives what the reference
// gives (NaN in, NaN out; an infinite residual an infinite loss), a clamped
// variance gives the gradient at eps, and an output beyond f16's range is
// its infinity; with eps = 0, a zero variance gives PyTorch's NaNs. Every
// reduction: one NaN element makes the sum NaN.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "lossbench/verify/verify_gaussian_nll.hpp"

namespace lossbench::testing {

inline GaussianNllInputs gaussian_nll_extreme_inputs(DType dtype) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> means = {0.0, 1.0, -3.0, 1e4, -1e4, inf, -inf, nan};
  const std::vector<double> targets = {0.0, 1.0, 1e4, -inf, nan};
  const std::vector<double> variances = {0.0, 1e-9, 5e-7, 1e-6, 0.5, 1.0, 1e4, inf, nan};
  const std::size_t n = means.size() * targets.size() * variances.size();
  GaussianNllInputs in;
  in.mu.resize(n * dtype_size(dtype));
  in.target.resize(n * dtype_size(dtype));
  in.var.resize(n * dtype_size(dtype));
  std::size_t i = 0;
  for (const double mu : means) {
    for (const double y : targets) {
      for (const double var : variances) {
        store_from_double(in.mu.data(), dtype, i, mu);
        store_from_double(in.target.data(), dtype, i, y);
        store_from_double(in.var.data(), dtype, i, var);
        ++i;
      }
    }
  }
  return in;
}

/// Runs the extreme inputs on `backend`: every dtype and reduction, at an
/// aligned and an odd offset (the packed and the scalar path), in place and not.
inline void expect_gaussian_nll_extremes_match_reference(Backend backend) {
  for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
    const GaussianNllInputs inputs = gaussian_nll_extreme_inputs(dtype);
    for (const Reduction reduction : {Reduction::none, Reduction::sum, Reduction::mean}) {
      for (const int offset : {0, 1}) {
        GaussianNllVerifyCase c;
        c.dtype = dtype;
        c.reduction = reduction;
        c.n = static_cast<std::int64_t>(inputs.mu.size() / dtype_size(dtype));
        c.offset = offset;
        c.in_place = offset == 1;
        c.full = reduction == Reduction::sum;
        c.eps = offset == 1 ? 0.0f : 1e-6f;  // eps = 0: var = 0 stays 0 (NaN loss and ∂ℓ/∂var, as PyTorch)
        const GaussianNllVerifyResult r = verify_gaussian_nll_case(c, inputs, backend);
        EXPECT_TRUE(r.passed()) << to_string(backend) << " " << c.name() << ":\n" << r.log.report();
      }
    }
  }
}

}  // namespace lossbench::testing
