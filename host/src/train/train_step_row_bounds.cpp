// The per-row ingredients of the training step's error bound
// (train_step_bounds.hpp): how far each output's dz = dℓ/dz can be off in
// float, and how far the float logits' errors move it, for each loss.
#include <cmath>
#include <cstdint>
#include <span>
#include <string>

#include "lossbench/core/error.hpp"
#include "lossbench/loss/softmax_bounds.hpp"
#include "lossbench/reference/softmax_reference.hpp"
#include "lossbench/train/train_step_bounds.hpp"

namespace lossbench {
namespace {

constexpr double kU = kFloatUnitRoundoff;

// σ-based losses, output by output: |d²ℓ/dz²| < 1/3, a few ulps of evaluation.
void elementwise_terms(const double* logit_magnitude, const double* dz, int k, TrainStepDzErrorTerms* terms) {
  for (int j = 0; j < k; ++j) terms[j] = {logit_magnitude[j] / 3.0, 8.0 * kU * std::fabs(dz[j])};
}

// Softmax over the row: every output's dz depends on every logit of the row.
double softmax_ce_terms(const double* z, const double* logit_magnitude, const float* y, const double* dz,
                        double row_loss, int k, TrainStepDzErrorTerms* terms) {
  const auto classes = static_cast<std::size_t>(k);
  const reference::SoftmaxRow row = reference::softmax_row(std::span<const double>(z, classes));
  double q_sum = 0.0;
  double weighted_magnitude = 0.0;  // Σ_m p_m·A_m
  for (std::size_t m = 0; m < classes; ++m) {
    q_sum += y[m];
    weighted_magnitude += row.prob[m] * logit_magnitude[m];
  }
  // Depth k: a sequential pass over the row (the cpu backend), which also
  // bounds the kernel's rescale and butterfly over bit_ceil(k) lanes.
  const SoftmaxBoundRow bound_row{k, sequential_depth(k), row.lse, row.log_s};
  for (std::size_t j = 0; j < classes; ++j) {
    const double p = row.prob[j];
    // Σ_m |Σy·p_j·([j = m] − p_m)|·A_m, with the j-th term taken out of the weighted sum.
    const double sensitivity =
        q_sum * p * ((1.0 - p) * logit_magnitude[j] + (weighted_magnitude - p * logit_magnitude[j]));
    const SoftmaxGradTerms grad_terms{p, row.log_prob[j], q_sum, static_cast<double>(y[j]), 0.0, true};
    // Plus the scaling by the float 1/n: its rounding and the product's.
    const double eval = softmax_grad_error_bound(bound_row, grad_terms, dz[j]) + 2.0 * kU * std::fabs(dz[j]);
    terms[j] = {sensitivity, eval};
  }
  return softmax_ce_soft_loss_error_bound(bound_row, row_loss, q_sum);
}

}  // namespace

double train_step_row_error_terms(Loss loss, const double* z, const double* logit_magnitude, const float* y,
                                  const double* dz, double row_loss, int k, TrainStepDzErrorTerms* terms) {
  switch (loss) {
    case Loss::mse:
    case Loss::bce: elementwise_terms(logit_magnitude, dz, k, terms); return 0.0;
    case Loss::softmax_ce: return softmax_ce_terms(z, logit_magnitude, y, dz, row_loss, k, terms);
  }
  throw InputError("train_step_row_error_terms: unknown loss value " + std::to_string(static_cast<int>(loss)));
}

}  // namespace lossbench
