#include "verify/softmax_verify_inputs.hpp"

#include <cmath>
#include <cstring>
#include <random>

#include "verify/softmax_logit_rows.hpp"

namespace lossbench::detail {

SoftmaxVerifyInputs make_softmax_verify_inputs(const SoftmaxVerifyCase& config) {
  const auto rows = static_cast<std::size_t>(config.rows);
  const auto classes = static_cast<std::size_t>(config.classes);
  const DType dtype = config.dtype;
  const bool hard = config.targets != SoftmaxTargets::probabilities;
  SoftmaxVerifyInputs in;
  in.logits.resize(rows * classes * dtype_size(dtype));
  if (hard) {
    const std::size_t label_bytes = config.targets == SoftmaxTargets::class_index_i32 ? 4 : 8;
    in.targets.resize(rows * label_bytes);
  } else {
    in.targets.resize(rows * classes * dtype_size(dtype));
  }
  std::mt19937_64 rng(config.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const bool infinite_allowed = config.label_smoothing == 0.0f;
  const RowKind extremes[] = {RowKind::wide,         RowKind::far_from_zero,     RowKind::confident,
                              RowKind::equal,        RowKind::minus_inf_but_one, RowKind::minus_inf_but_few};
  const std::size_t extreme_kinds = infinite_allowed ? 6 : 4;
  std::vector<double> q(classes);
  for (std::size_t r = 0; r < rows; ++r) {
    RowKind kind = RowKind::normal;
    if (unit(rng) < 0.25) kind = extremes[std::uniform_int_distribution<std::size_t>(0, extreme_kinds - 1)(rng)];
    std::size_t finite_class = 0;
    const std::vector<float> z = make_row(kind, classes, rng, &finite_class);
    for (std::size_t j = 0; j < classes; ++j) store_from_double(in.logits.data(), dtype, r * classes + j, z[j]);
    if (hard) {
      const std::int64_t label =
          unit(rng) < 0.1 ? kVerifyIgnoreIndex : static_cast<std::int64_t>(finite_class);
      in.labels.push_back(label);
      if (config.targets == SoftmaxTargets::class_index_i32) {
        const auto narrow = static_cast<std::int32_t>(label);
        std::memcpy(in.targets.data() + r * 4, &narrow, 4);
      } else {
        std::memcpy(in.targets.data() + r * 8, &label, 8);
      }
      continue;
    }
    double sum = 0.0;
    for (std::size_t j = 0; j < classes; ++j) {
      q[j] = std::isinf(z[j]) || unit(rng) < 0.3 ? 0.0 : unit(rng);
      sum += q[j];
    }
    if (sum == 0.0) q[finite_class] = sum = 1.0;
    for (std::size_t j = 0; j < classes; ++j) store_from_double(in.targets.data(), dtype, r * classes + j, q[j] / sum);
  }
  if (config.class_weight) {
    const double subnormal = dtype == DType::f16 ? 0x1p-24 : dtype == DType::bf16 ? 0x1p-133 : 0x1p-149;
    in.class_weight.resize(classes * dtype_size(dtype));
    for (std::size_t j = 0; j < classes; ++j) {
      const double kind = unit(rng);
      const double w = kind < 0.1 ? 0.0 : kind < 0.25 ? 1.0 : kind < 0.3 ? 1e4 : kind < 0.35 ? subnormal : 3.0 * unit(rng);
      store_from_double(in.class_weight.data(), dtype, j, w);
    }
    // A mean the API accepts (validate_softmax_targets): the rows not ignored
    // weigh enough that grad_scale ÷ their weight is a float; else the first
    // such row's class weighs 1.
    double counted_weight = 0.0;
    std::int64_t first_label = -1;
    for (const std::int64_t t : in.labels) {
      if (t == kVerifyIgnoreIndex) continue;
      if (first_label < 0) first_label = t;
      counted_weight += load_as_double(in.class_weight.data(), dtype, static_cast<std::size_t>(t));
    }
    if (first_label >= 0 && counted_weight > 0.0 && counted_weight < 1e-30) {
      store_from_double(in.class_weight.data(), dtype, static_cast<std::size_t>(first_label), 1.0);
    }
    for (std::size_t j = 0; j < classes; ++j) in.class_weight_values.push_back(load_as_double(in.class_weight.data(), dtype, j));
  }
  return in;
}

}  // namespace lossbench::detail
