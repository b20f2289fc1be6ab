// The Gaussian NLL's verification sweep and its random inputs.
#include <cmath>
#include <random>
#include <sstream>

#include "lossbench/verify/verify_gaussian_nll.hpp"

namespace lossbench {

std::string GaussianNllVerifyCase::name() const {
  std::ostringstream s;
  s << "gnll/" << to_string(dtype) << '/' << to_string(reduction) << '/';
  if (grad_mu && grad_var) {
    s << "mu+var";
  } else if (grad_mu) {
    s << "mu";
  } else if (grad_var) {
    s << "var";
  } else {
    s << "fwd";
  }
  if (in_place && (grad_mu || grad_var)) s << "-inplace";
  if (full) s << "/full";
  if (eps != 1e-6f) s << "/eps=" << eps;
  if (grad_scale != 1.0f) s << "/gs=" << grad_scale;
  s << "/off=" << offset;
  return s.str();
}

GaussianNllInputs make_gaussian_nll_inputs(DType dtype, std::int64_t n, std::uint64_t seed) {
  const auto count = static_cast<std::size_t>(n);
  GaussianNllInputs inputs;
  inputs.mu.resize(count * dtype_size(dtype));
  inputs.target.resize(count * dtype_size(dtype));
  inputs.var.resize(count * dtype_size(dtype));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 3.0);
  const auto log_uniform = [&](double low, double high) {
    return std::exp(std::log(low) + unit(rng) * (std::log(high) - std::log(low)));
  };
  for (std::size_t i = 0; i < count; ++i) {
    const double sign = unit(rng) < 0.5 ? -1.0 : 1.0;
    const double mu_kind = unit(rng);
    const double mu = mu_kind < 0.6 ? normal(rng) : mu_kind < 0.7 ? 0.0 : mu_kind < 0.8 ? sign * log_uniform(1e2, 1e4)
                                                                                       : 40.0 * unit(rng) - 20.0;
    const double y_kind = unit(rng);
    // Near μ (the small residuals of a good fit), exactly μ (r = 0), or
    // anywhere (with a large μ: residuals up to ~1e4).
    const double y = y_kind < 0.5 ? mu + log_uniform(1e-3, 10.0) * normal(rng) / 3.0 : y_kind < 0.7 ? mu : normal(rng);
    const double var_kind = unit(rng);
    const double var = var_kind < 0.5    ? log_uniform(1e-4, 1e4)
                       : var_kind < 0.6  ? 0.0
                       : var_kind < 0.7  ? 1e-6 * unit(rng)  // below the default eps
                       : var_kind < 0.75 ? 1e-6              // the default eps
                       : var_kind < 0.9  ? log_uniform(1e-8, 1e-3)
                                         : 0.5 + 1.5 * unit(rng);
    store_from_double(inputs.mu.data(), dtype, i, mu);
    store_from_double(inputs.target.data(), dtype, i, y);
    store_from_double(inputs.var.data(), dtype, i, var);
  }
  return inputs;
}

std::vector<GaussianNllVerifyCase> standard_gaussian_nll_cases(bool quick, std::uint64_t seed) {
  std::vector<std::int64_t> sizes = {0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 255, 256, 257, 4095, 4096, 4097, 8191, 8192, 8193};
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> random_size(1, 20000);
  sizes.push_back(random_size(rng));
  if (!quick) sizes.push_back(random_size(rng));

  struct Options {
    bool grad_mu;
    bool grad_var;
    bool in_place;
    bool full;
    float eps;
    float grad_scale;
  };
  const Options option_sets[] = {{true, true, false, false, 1e-6f, 1.0f},
                                 {true, true, true, true, 1e-6f, 1.0f},
                                 {true, false, false, false, 1e-3f, 0.5f},
                                 {false, true, false, true, 1e-6f, 64.0f},
                                 {false, false, false, false, 1e-6f, 1.0f}};
  std::vector<GaussianNllVerifyCase> cases;
  const auto add = [&](std::int64_t n, DType dtype, Reduction reduction, const Options& o, int offset) {
    GaussianNllVerifyCase c;
    c.reduction = reduction;
    c.dtype = dtype;
    c.n = n;
    c.offset = offset;
    c.grad_mu = o.grad_mu;
    c.grad_var = o.grad_var;
    c.in_place = o.in_place;
    c.full = o.full;
    c.eps = o.eps;
    c.grad_scale = o.grad_scale;
    c.seed = seed + cases.size();
    cases.push_back(c);
  };
  for (const std::int64_t n : sizes) {
    for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
      for (const Reduction reduction : {Reduction::none, Reduction::sum, Reduction::mean}) {
        for (const Options& o : option_sets) {
          for (const int offset : {0, 1}) add(n, dtype, reduction, o, offset);
        }
      }
    }
  }
  if (!quick) {
    // One million and three: many tiles, a partial last tile and a vector tail.
    for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
      for (const Reduction reduction : {Reduction::none, Reduction::sum, Reduction::mean}) {
        for (const int offset : {0, 1}) add(1000003, dtype, reduction, option_sets[0], offset);
      }
    }
  }
  return cases;
}

}  // namespace lossbench
