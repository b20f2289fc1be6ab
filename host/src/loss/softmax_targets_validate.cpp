// The checks of a softmax call's target values, read on the host.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "core/argument_checks.hpp"
#include "loss/softmax_target_checks.hpp"
#include "lossbench/core/dtype.hpp"

namespace lossbench {
namespace {

void require_target(bool condition, const std::string& message) {
  detail::require(condition, "softmax_loss", message);
}

std::int64_t class_index_at(const SoftmaxLossCall& call, std::int64_t row) {
  if (call.targets_kind == SoftmaxTargets::class_index_i32) return static_cast<const std::int32_t*>(call.targets)[row];
  return static_cast<const std::int64_t*>(call.targets)[row];
}

// The tolerance on a probability row's sum. Rounding a normalised
// row to f16 moves its sum by at most 2^-11 ≈ 4.9e-4 (relative error per
// value), so f16 rows always pass; bf16's 2^-9 ≈ 2e-3 per value passes when
// the roundings differ in sign, as they typically do, but a bf16 row rounded
// all one way can fail. Either way a missing normalisation is caught.
constexpr double kRowSumTolerance = 1e-3;

void require_probability_rows(const SoftmaxLossCall& call) {
  const auto classes = static_cast<std::size_t>(call.classes);
  for (std::int64_t row = 0; row < call.rows; ++row) {
    const std::size_t first = static_cast<std::size_t>(row) * classes;
    double sum = 0.0;
    for (std::size_t j = 0; j < classes; ++j) {
      const double q = load_as_double(call.targets, call.dtype, first + j);
      require_target(q >= 0.0, "targets row " + std::to_string(row) + ", class " + std::to_string(j) + " = " +
                            std::to_string(q) + " is not a probability (negative or NaN)");
      sum += q;
    }
    require_target(std::abs(sum - 1.0) <= kRowSumTolerance, "targets row " + std::to_string(row) + " sums to " +
                                                         std::to_string(sum) + ", off 1 by more than 1e-3");
  }
}

}  // namespace

// Class weights as lossbench takes them: finite and >= 0 (PyTorch computes
// with any; a negative weight rewards the error it weighs, a NaN one makes
// every loss NaN). For a mean over class indices, the rows not ignored must
// weigh something: PyTorch's mean is otherwise 0/0.
void validate_softmax_class_weights(const SoftmaxLossCall& call) {
  if (call.class_weight == nullptr) return;
  for (std::int64_t j = 0; j < call.classes; ++j) {
    const double w = load_as_double(call.class_weight, call.dtype, static_cast<std::size_t>(j));
    require_target(w >= 0.0 && std::isfinite(w), "class_weight[" + std::to_string(j) + "] = " + std::to_string(w) +
                                                     " is not a weight (expected finite and >= 0)");
  }
  if (call.targets_kind == SoftmaxTargets::probabilities || call.reduction != SoftmaxReduction::mean) return;
  double sum = 0.0;
  std::int64_t counted = 0;
  for (std::int64_t row = 0; row < call.rows; ++row) {
    const std::int64_t t = class_index_at(call, row);
    if (t == call.ignore_index || t < 0 || t >= call.classes) continue;  // the targets' check refuses the latter
    ++counted;
    sum += load_as_double(call.class_weight, call.dtype, static_cast<std::size_t>(t));
  }
  require_target(counted == 0 || sum > 0.0,
                 "the class weights of the " + std::to_string(counted) +
                     " rows not ignored sum to 0: their weighted mean is 0/0 (give them weight or use sum)");
  // The gradient's multiplier grad_scale ÷ Σ w_t is a float in every backend.
  require_target(counted == 0 || std::fabs(call.grad_scale) / sum <= std::numeric_limits<float>::max(),
                 "the class weights of the " + std::to_string(counted) + " rows not ignored sum to " +
                     std::to_string(sum) + ": grad_scale ÷ that overflows float (scale the weights up)");
}

void detail::require_class_indices_in_range(const SoftmaxLossCall& call) {
  if (call.targets_kind == SoftmaxTargets::probabilities) return;
  for (std::int64_t row = 0; row < call.rows; ++row) {
    const std::int64_t t = class_index_at(call, row);
    require_target(t == call.ignore_index || (t >= 0 && t < call.classes),
            "targets[" + std::to_string(row) + "] = " + std::to_string(t) + " is neither a class index in [0, " +
                std::to_string(call.classes) + ") nor the ignore index " + std::to_string(call.ignore_index));
  }
}

void validate_softmax_targets(const SoftmaxLossCall& call) {
  validate(call);
  if (call.targets_kind == SoftmaxTargets::probabilities) {
    require_probability_rows(call);
  } else {
    detail::require_class_indices_in_range(call);
  }
  validate_softmax_class_weights(call);
}

}  // namespace lossbench
