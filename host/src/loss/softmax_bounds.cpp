#include "lossbench/loss/softmax_bounds.hpp"

#include <cmath>
#include <limits>

#include "lossbench/loss/fused_loss_bounds.hpp"

namespace lossbench {

namespace {
constexpr double kU = kFloatUnitRoundoff;
}  // namespace

double float_gamma(double n) {
  const double nu = n * kU;
  return nu >= 1.0 ? std::numeric_limits<double>::infinity() : nu / (1.0 - nu);
}

std::int64_t sequential_depth(std::int64_t classes) { return classes; }

std::int64_t pairwise_depth(std::int64_t classes) {
  std::int64_t depth = 0;
  while ((std::int64_t{1} << depth) < classes) ++depth;
  return depth;
}

std::int64_t softmax_backend_depth(std::int64_t classes) {
  return (classes + 15) / 16 + pairwise_depth(classes) + 2;
}

double softmax_log_s_error_bound(const SoftmaxBoundRow& row) {
  const double k = static_cast<double>(row.depth);
  return float_gamma(6.0 * k + 3.0 * std::log(static_cast<double>(row.classes)) + 4.0);
}

double softmax_lse_error_bound(const SoftmaxBoundRow& row) {
  return softmax_log_s_error_bound(row) + 2.0 * kU * std::fabs(row.lse);
}

double softmax_ce_hard_loss_error_bound(const SoftmaxBoundRow& row, double loss_ref, double z_loss) {
  const double k = static_cast<double>(row.depth);
  return float_gamma(k + 8.0) * std::fabs(loss_ref) +
         softmax_log_s_error_bound(row) * (1.0 + 2.0 * z_loss * std::fabs(row.lse));
}

double softmax_ce_weighted_hard_loss_error_bound(const SoftmaxBoundRow& row, double loss_ref, double log_s_weight,
                                                 double underflow_terms) {
  const double k = static_cast<double>(row.depth);
  return float_gamma(2.0 * k + 10.0) * std::fabs(loss_ref) + std::fabs(log_s_weight) * softmax_log_s_error_bound(row) +
         kFloatMathUnderflow * underflow_terms;
}

double softmax_ce_soft_loss_error_bound(const SoftmaxBoundRow& row, double loss_ref, double q_sum) {
  const double k = static_cast<double>(row.depth);
  return float_gamma(2.0 * k + 4.0) * std::fabs(loss_ref) + std::fabs(q_sum) * softmax_log_s_error_bound(row);
}

double kl_div_row_error_bound(const SoftmaxBoundRow& row, double kl_ref, double soft_ce_ref, double q_sum) {
  const double k = static_cast<double>(row.depth);
  const double terms = 2.0 * std::fabs(soft_ce_ref) + std::fabs(kl_ref);  // ℓ_soft + Σ q|log q|, at most
  return float_gamma(2.0 * k + 4.0) * terms + std::fabs(q_sum) * softmax_log_s_error_bound(row) +
         kU * std::fabs(kl_ref);
}

double kl_div_element_error_bound(const SoftmaxBoundRow& row, double element_ref, double q, double log_prob_ref) {
  if (q == 0.0) return 0.0;  // exactly 0 on both sides
  return q * (softmax_log_s_error_bound(row) + 3.0 * kU * (std::fabs(std::log(q)) + std::fabs(log_prob_ref))) +
         kU * std::fabs(element_ref);
}

double softmax_entropy_error_bound(const SoftmaxBoundRow& row, double entropy_ref, double gap_second_moment) {
  const double k = static_cast<double>(row.depth);
  return softmax_log_s_error_bound(row) + float_gamma(13.0 * k + 10.0) * std::fabs(entropy_ref - row.log_s) +
         kU * (gap_second_moment + std::fabs(entropy_ref));
}

double softmax_grad_error_bound(const SoftmaxBoundRow& row, const SoftmaxGradTerms& terms, double grad_ref) {
  const double e_s = softmax_log_s_error_bound(row);
  const double k = static_cast<double>(row.depth);
  const double scale = std::fabs(terms.scale);
  const double floor = 2.0 * kU * std::fabs(terms.share) + kU * std::fabs(grad_ref) +
                       kFloatMathUnderflow * (1.0 + scale);
  if (terms.log_prob == -std::numeric_limits<double>::infinity()) return floor;  // p_j = 0 exactly
  const double prob_error = e_s + 2.0 * kU * std::fabs(terms.log_prob) + 6.0 * kU +
                            (terms.soft ? float_gamma(k + 1.0) : 0.0);
  const double z_loss_error = 2.0 * terms.z_loss * (e_s + 3.0 * kU * std::fabs(row.lse));
  return terms.prob * (scale * prob_error + z_loss_error) + floor;
}

}  // namespace lossbench
