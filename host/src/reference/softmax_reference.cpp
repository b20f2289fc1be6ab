#include "lossbench/reference/softmax_reference.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "lossbench/core/error.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"

namespace lossbench::reference {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

SoftmaxRow undefined_row(std::size_t classes, double lse) {
  return {kNaN, kNaN, lse, kNaN, kNaN, std::vector<double>(classes, kNaN), std::vector<double>(classes, kNaN)};
}

void check_shape(std::size_t logits, std::int64_t classes, std::size_t targets, std::size_t targets_per_row) {
  if (classes < 1) throw InputError("the class axis is empty: V = " + std::to_string(classes) + ", need V >= 1");
  const auto v = static_cast<std::size_t>(classes);
  if (logits % v != 0) {
    throw InputError(std::to_string(logits) + " logits are not a whole number of rows of V = " +
                     std::to_string(classes));
  }
  if (targets != logits / v * targets_per_row) {
    throw InputError("targets have " + std::to_string(targets) + " values but the logits' " +
                     std::to_string(logits / v) + " rows need " + std::to_string(logits / v * targets_per_row));
  }
}

std::span<const double> row_of(std::span<const double> values, std::size_t row, std::size_t classes) {
  return values.subspan(row * classes, classes);
}

// The batch's reduced loss from its per-row (or per-element) losses.
void reduce(SoftmaxBatchResult& result, std::vector<double> losses, bool keep, double multiplier) {
  if (keep) {
    result.losses = std::move(losses);
  } else {
    result.reduced_loss = compensated_sum(losses) * multiplier;
  }
}

}  // namespace

SoftmaxRow softmax_row(std::span<const double> z) {
  if (z.empty()) throw InputError("softmax_row: the class axis is empty (V = 0)");
  if (std::any_of(z.begin(), z.end(), [](double x) { return std::isnan(x); })) return undefined_row(z.size(), kNaN);
  const auto top = std::max_element(z.begin(), z.end());
  const double max = *top;
  // All −∞: no softmax exists; lse = log 0 = −∞ as torch.logsumexp gives.
  if (max == -kInf) return undefined_row(z.size(), -kInf);
  if (max == kInf) return undefined_row(z.size(), kNaN);

  // s = 1 + Σ_{j ≠ argmax} e^{z_j − max}: log1p keeps the small rest exactly
  // where a confident row's s rounds to 1.
  std::vector<double> rest;
  rest.reserve(z.size());
  for (auto it = z.begin(); it != z.end(); ++it) {
    if (it != top) rest.push_back(std::exp(*it - max));
  }
  SoftmaxRow row;
  row.max = max;
  row.log_s = std::log1p(compensated_sum(rest));
  row.lse = max + row.log_s;
  row.prob.resize(z.size());
  row.log_prob.resize(z.size());
  std::vector<double> surprisal;  // p_j·(−log p_j)
  std::vector<double> moment;     // p_j·(max − z_j)²
  for (std::size_t j = 0; j < z.size(); ++j) {
    row.log_prob[j] = (z[j] - max) - row.log_s;
    row.prob[j] = std::exp(row.log_prob[j]);
    if (row.prob[j] == 0.0) continue;  // 0·log 0 = 0, also at z_j = −∞
    surprisal.push_back(-row.prob[j] * row.log_prob[j]);
    moment.push_back(row.prob[j] * (max - z[j]) * (max - z[j]));
  }
  row.entropy = compensated_sum(surprisal);
  row.gap_second_moment = compensated_sum(moment);
  return row;
}

RowLossAndGrad softmax_ce_hard_row(std::span<const double> z, std::int64_t target,
                                   const SoftmaxCeOptions& options) {
  if (target < 0 || target >= static_cast<std::int64_t>(z.size())) {
    throw InputError("class index " + std::to_string(target) + " is outside [0, " + std::to_string(z.size()) + ")");
  }
  const bool weighted = !options.class_weight.empty();
  if (weighted && options.class_weight.size() != z.size()) {
    throw InputError(std::to_string(options.class_weight.size()) + " class weights for " + std::to_string(z.size()) +
                     " classes");
  }
  if (weighted && options.z_loss != 0.0) throw InputError("class weights with a z-loss have no meaning");
  const SoftmaxRow row = softmax_row(z);
  const double eps = options.label_smoothing;
  const double c = options.z_loss;
  const double v = static_cast<double>(z.size());
  std::vector<double> terms;
  RowLossAndGrad result;
  result.grad.resize(z.size());
  std::vector<double> w(z.size());
  for (std::size_t j = 0; j < z.size(); ++j) {
    const bool is_target = static_cast<std::int64_t>(j) == target;
    w[j] = weighted ? (is_target ? (1.0 - eps) * options.class_weight[j] : 0.0) + eps / v * options.class_weight[j]
                    : (is_target ? 1.0 - eps : 0.0) + eps / v;
  }
  // Σw is 1 unweighted; with z-loss the gradient gains 2c·lse·p_j.
  const double prob_scale = (weighted ? compensated_sum(w) : 1.0) + (c == 0.0 ? 0.0 : 2.0 * c * row.lse);
  for (std::size_t j = 0; j < z.size(); ++j) {
    if (w[j] != 0.0) terms.push_back(-w[j] * row.log_prob[j]);
    result.grad[j] = row.prob[j] * prob_scale - w[j];
  }
  result.loss = compensated_sum(terms);
  if (c != 0.0) result.loss += c * row.lse * row.lse;
  return result;
}

RowLossAndGrad softmax_ce_soft_row(std::span<const double> z, std::span<const double> q) {
  if (q.size() != z.size()) throw InputError("soft targets and logits differ in length");
  const SoftmaxRow row = softmax_row(z);
  std::vector<double> terms;
  const double q_sum = compensated_sum(std::vector<double>(q.begin(), q.end()));
  RowLossAndGrad result;
  result.grad.resize(z.size());
  for (std::size_t j = 0; j < z.size(); ++j) {
    if (q[j] != 0.0) terms.push_back(-q[j] * row.log_prob[j]);
    result.grad[j] = row.prob[j] * q_sum - q[j];
  }
  result.loss = compensated_sum(terms);
  return result;
}

KlRow kl_div_row(std::span<const double> z, std::span<const double> q) {
  if (q.size() != z.size()) throw InputError("KL targets and logits differ in length");
  const SoftmaxRow row = softmax_row(z);
  const double q_sum = compensated_sum(std::vector<double>(q.begin(), q.end()));
  KlRow result;
  result.elements.resize(z.size());
  result.grad.resize(z.size());
  for (std::size_t j = 0; j < z.size(); ++j) {
    result.elements[j] = q[j] == 0.0 ? 0.0 : q[j] * (std::log(q[j]) - row.log_prob[j]);
    result.grad[j] = row.prob[j] * q_sum - q[j];
  }
  result.loss = compensated_sum(result.elements);
  return result;
}

SoftmaxBatchResult softmax_ce_hard(std::span<const double> logits, std::int64_t classes,
                                   std::span<const std::int64_t> targets, const SoftmaxCeOptions& options,
                                   Reduction reduction) {
  check_shape(logits.size(), classes, targets.size(), 1);
  if (!(options.label_smoothing >= 0.0 && options.label_smoothing <= 1.0)) {
    throw InputError("label smoothing must be in [0, 1], got " + std::to_string(options.label_smoothing));
  }
  if (!(options.z_loss >= 0.0) || std::isinf(options.z_loss)) {
    throw InputError("z-loss coefficient must be finite and >= 0, got " + std::to_string(options.z_loss));
  }
  const auto v = static_cast<std::size_t>(classes);
  SoftmaxBatchResult result;
  result.grad.assign(logits.size(), 0.0);
  std::vector<double> losses(targets.size(), 0.0);
  std::vector<double> counted_weights;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto z = row_of(logits, i, v);
    const SoftmaxRow row = softmax_row(z);
    result.lse.push_back(row.lse);
    result.entropy.push_back(row.entropy);
    if (targets[i] == options.ignore_index) continue;
    if (targets[i] < 0 || targets[i] >= classes) {
      throw InputError("targets[" + std::to_string(i) + "] = " + std::to_string(targets[i]) +
                       " is neither a class index in [0, " + std::to_string(classes) +
                       ") nor the ignore index " + std::to_string(options.ignore_index));
    }
    RowLossAndGrad r = softmax_ce_hard_row(z, targets[i], options);
    losses[i] = r.loss;
    std::copy(r.grad.begin(), r.grad.end(), result.grad.begin() + static_cast<std::ptrdiff_t>(i * v));
    ++result.counted_rows;
    if (!options.class_weight.empty()) counted_weights.push_back(options.class_weight[static_cast<std::size_t>(targets[i])]);
  }
  double grad_multiplier = gradient_multiplier(reduction, result.counted_rows, 1.0);
  double loss_multiplier = reduction_multiplier(reduction, result.counted_rows);
  if (!options.class_weight.empty() && reduction == Reduction::mean) {
    // PyTorch's weighted mean: ÷ Σ c_t over the rows not ignored (0/0 = NaN; a zero gradient then).
    const double weight = compensated_sum(counted_weights);
    loss_multiplier = weight > 0.0 ? 1.0 / weight : kNaN;
    grad_multiplier = weight > 0.0 ? 1.0 / weight : 0.0;
  }
  for (double& g : result.grad) g *= grad_multiplier;
  reduce(result, std::move(losses), reduction == Reduction::none, loss_multiplier);
  return result;
}

SoftmaxBatchResult softmax_ce_soft(std::span<const double> logits, std::int64_t classes,
                                   std::span<const double> targets, Reduction reduction,
                                   std::span<const double> class_weight) {
  check_shape(logits.size(), classes, targets.size(), static_cast<std::size_t>(std::max<std::int64_t>(classes, 1)));
  if (!class_weight.empty() && static_cast<std::int64_t>(class_weight.size()) != classes) {
    throw InputError(std::to_string(class_weight.size()) + " class weights for " + std::to_string(classes) +
                     " classes");
  }
  const auto v = static_cast<std::size_t>(classes);
  const std::size_t rows = logits.size() / v;
  SoftmaxBatchResult result;
  result.counted_rows = static_cast<std::int64_t>(rows);
  const double grad_multiplier = gradient_multiplier(reduction, result.counted_rows, 1.0);
  std::vector<double> losses;
  for (std::size_t i = 0; i < rows; ++i) {
    const SoftmaxRow row = softmax_row(row_of(logits, i, v));
    result.lse.push_back(row.lse);
    result.entropy.push_back(row.entropy);
    std::vector<double> q(row_of(targets, i, v).begin(), row_of(targets, i, v).end());
    for (std::size_t j = 0; j < q.size() && !class_weight.empty(); ++j) q[j] *= class_weight[j];
    const RowLossAndGrad r = softmax_ce_soft_row(row_of(logits, i, v), q);
    losses.push_back(r.loss);
    for (const double g : r.grad) result.grad.push_back(g * grad_multiplier);
  }
  reduce(result, std::move(losses), reduction == Reduction::none,
         reduction_multiplier(reduction, result.counted_rows));
  return result;
}

SoftmaxBatchResult kl_div(std::span<const double> logits, std::int64_t classes, std::span<const double> targets,
                          KlReduction reduction) {
  check_shape(logits.size(), classes, targets.size(), static_cast<std::size_t>(std::max<std::int64_t>(classes, 1)));
  const auto v = static_cast<std::size_t>(classes);
  const std::size_t rows = logits.size() / v;
  const auto n = static_cast<std::int64_t>(rows);
  // kl_div's mean divides by every element, N·V; batchmean by the N rows.
  double multiplier = 1.0;
  if (reduction == KlReduction::mean) multiplier = reduction_multiplier(Reduction::mean, n * classes);
  if (reduction == KlReduction::batchmean) multiplier = reduction_multiplier(Reduction::mean, n);
  const double grad_multiplier = std::isnan(multiplier) ? 1.0 : multiplier;  // no rows: no gradient to scale
  SoftmaxBatchResult result;
  result.counted_rows = n;
  std::vector<double> losses;  // per element for none, per row otherwise
  for (std::size_t i = 0; i < rows; ++i) {
    const SoftmaxRow row = softmax_row(row_of(logits, i, v));
    result.lse.push_back(row.lse);
    result.entropy.push_back(row.entropy);
    const KlRow r = kl_div_row(row_of(logits, i, v), row_of(targets, i, v));
    if (reduction == KlReduction::none) {
      losses.insert(losses.end(), r.elements.begin(), r.elements.end());
    } else {
      losses.push_back(r.loss);
    }
    for (const double g : r.grad) result.grad.push_back(g * grad_multiplier);
  }
  reduce(result, std::move(losses), reduction == KlReduction::none, multiplier);
  return result;
}

}  // namespace lossbench::reference
