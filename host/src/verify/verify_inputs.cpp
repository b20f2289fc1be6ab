#include "verify/verify_inputs.hpp"

#include <cmath>
#include <limits>
#include <random>

namespace lossbench::detail {

VerifyInputs make_verify_inputs(DType dtype, std::int64_t n, std::uint64_t seed, bool finite_loss,
                                Activation activation) {
  const auto count = static_cast<std::size_t>(n);
  VerifyInputs inputs;
  inputs.logits.resize(count * dtype_size(dtype));
  inputs.targets.resize(count * dtype_size(dtype));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 3.0);
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // A value of every kind the inputs should cover: normal, wide, saturated
  // up to 1e4, exact zeros, tiny values and ±inf.
  const auto draw = [&] {
    const double kind = unit(rng);
    const double sign = unit(rng) < 0.5 ? -1.0 : 1.0;
    double z;
    if (kind < 0.55) {
      z = normal(rng);
    } else if (kind < 0.70) {
      z = 40.0 * unit(rng) - 20.0;
    } else if (kind < 0.85) {
      z = sign * std::exp(std::log(20.0) + unit(rng) * (std::log(1e4) - std::log(20.0)));  // saturated: 20..1e4
    } else if (kind < 0.90) {
      z = 0.0;
    } else if (kind < 0.95) {
      z = sign * 1e-3 * unit(rng);
    } else {
      z = sign * kInf;
    }
    return z;
  };
  for (std::size_t i = 0; i < count; ++i) {
    double z = draw();
    if (activation == Activation::identity) {
      // A regression target: near its logit (a difference that cancels), equal to it, or drawn alike.
      const double how = unit(rng);
      double y = how < 0.15 ? z * (1.0 + 1e-3 * (unit(rng) - 0.5)) : how < 0.25 ? z : draw();
      if (finite_loss) {
        if (std::isinf(z)) z = std::copysign(1e4, z);
        if (!std::isfinite(y)) y = z;
      }
      store_from_double(inputs.logits.data(), dtype, i, z);
      store_from_double(inputs.targets.data(), dtype, i, y);
      continue;
    }
    const double label = unit(rng);
    double y = label < 0.4 ? 0.0 : label < 0.8 ? 1.0 : unit(rng);
    if (finite_loss && std::isinf(z)) y = z > 0 ? 1.0 : 0.0;
    store_from_double(inputs.logits.data(), dtype, i, z);
    store_from_double(inputs.targets.data(), dtype, i, y);
  }
  return inputs;
}

std::int64_t verify_classes(std::int64_t n) {
  for (std::int64_t c = 16; c > 1; --c) {
    if (n % c == 0 && n > 0) return c;
  }
  return 1;
}

VerifyWeightArrays make_verify_weights(VerifyWeights weights, bool class_pos_weights, DType dtype, std::int64_t n,
                                       std::uint64_t seed) {
  const std::int64_t classes = verify_classes(n);
  const std::int64_t rows = n / classes;
  const std::int64_t input_shape[] = {rows, classes};
  std::mt19937_64 rng(seed ^ 0x5eed5eedULL);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double subnormal = dtype == DType::f16 ? 0x1p-24 : dtype == DType::bf16 ? 0x1p-133 : 0x1p-149;
  const auto operand = [&](std::vector<std::int64_t> shape, auto&& draw) {
    std::int64_t count = 1;
    for (const std::int64_t e : shape) count *= e;
    VerifyOperand o;
    o.layout = broadcast_layout(input_shape, shape, "a verify weight");
    o.values.resize(static_cast<std::size_t>(count) * dtype_size(dtype));
    for (std::int64_t i = 0; i < count; ++i) store_from_double(o.values.data(), dtype, static_cast<std::size_t>(i), draw());
    return o;
  };
  VerifyWeightArrays out;
  const auto weight = [&] {
    const double kind = unit(rng);
    if (kind < 0.1) return 0.0;
    if (kind < 0.25) return 1.0;
    if (kind < 0.3) return 1e4;
    if (kind < 0.35) return subnormal;
    if (kind < 0.45) return -0.75;
    return 3.0 * unit(rng);
  };
  switch (weights) {
    case VerifyWeights::none: break;
    case VerifyWeights::same_shape: out.weight = operand({rows, classes}, weight); break;
    case VerifyWeights::per_class: out.weight = operand({classes}, weight); break;
    case VerifyWeights::per_row: out.weight = operand({rows, 1}, weight); break;
  }
  if (class_pos_weights) {
    const double values[] = {0.0, 0.25, 1.0, 3.0, 1e4};
    out.pos_weights = operand({classes}, [&] { return values[rng() % 5]; });
  }
  return out;
}

}  // namespace lossbench::detail
