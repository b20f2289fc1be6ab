#include "lossbench/reference/train_step_reference.hpp"

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "lossbench/reference/fused_loss_reference.hpp"
#include "lossbench/reference/softmax_reference.hpp"

namespace lossbench::reference {

void logits_of_row(const float* row, const float* weights, const float* bias, int d, int k, double* z) {
  for (int j = 0; j < k; ++j) z[j] = bias[j];
  for (int c = 0; c < d; ++c) {
    const double x = row[c];
    if (x == 0.0) continue;  // images are mostly zeros; skipping changes no bit of a finite sum
    for (int j = 0; j < k; ++j) z[j] += x * static_cast<double>(weights[static_cast<std::size_t>(c) * k + j]);
  }
}

double row_loss_and_grad(Loss loss, const double* z, const float* y, int k, double* dz) {
  const auto classes = static_cast<std::size_t>(k);
  if (loss == Loss::softmax_ce) {
    std::vector<double> q(y, y + classes);
    const RowLossAndGrad r = softmax_ce_soft_row(std::span<const double>(z, classes), q);
    for (std::size_t j = 0; j < classes; ++j) dz[j] = r.grad[j];
    return r.loss;
  }
  double sum = 0.0;
  for (std::size_t j = 0; j < classes; ++j) {
    const LossAndGrad e = elementwise(loss, z[j], y[j]);
    sum += e.loss;
    dz[j] = e.grad;
  }
  return sum;
}

TrainStepResult train_step(Loss loss, const float* inputs, const float* targets, const float* weights,
                           const float* bias, std::int64_t n, int d, int k) {
  TrainStepResult r;
  const auto dk = static_cast<std::size_t>(d) * static_cast<std::size_t>(k);
  r.grad_weights.assign(dk, 0.0);
  r.grad_bias.assign(static_cast<std::size_t>(k), 0.0);
  r.grad_weights_scales.assign(dk, {});
  r.grad_bias_scales.assign(static_cast<std::size_t>(k), {});
  std::vector<double> z(static_cast<std::size_t>(k));
  std::vector<double> logit_magnitude(static_cast<std::size_t>(k));
  std::vector<double> dz(static_cast<std::size_t>(k));
  std::vector<TrainStepDzErrorTerms> dz_error(static_cast<std::size_t>(k));
  double loss_sum = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    const float* row = inputs + static_cast<std::size_t>(i) * static_cast<std::size_t>(d);
    const float* y = targets + static_cast<std::size_t>(i) * static_cast<std::size_t>(k);
    logits_of_row(row, weights, bias, d, k, z.data());
    for (int j = 0; j < k; ++j) logit_magnitude[j] = std::fabs(static_cast<double>(bias[j]));
    for (int c = 0; c < d; ++c) {
      for (int j = 0; j < k; ++j) {
        logit_magnitude[j] += std::fabs(static_cast<double>(row[c]) * weights[static_cast<std::size_t>(c) * k + j]);
      }
    }
    const double row_loss = row_loss_and_grad(loss, z.data(), y, k, dz.data());
    loss_sum += row_loss;
    r.loss_scales.eval += train_step_row_error_terms(loss, z.data(), logit_magnitude.data(), y, dz.data(), row_loss,
                                                     k, dz_error.data());
    for (int j = 0; j < k; ++j) {
      r.loss_scales.logits += std::fabs(dz[j]) * logit_magnitude[j];
      r.grad_bias[j] += dz[j];
      TrainStepGradScales& b = r.grad_bias_scales[j];
      b.terms += std::fabs(dz[j]);
      b.logits += dz_error[j].logit_sensitivity;
      b.eval += dz_error[j].eval_error;
    }
    for (int c = 0; c < d; ++c) {
      const double x = row[c];
      for (int j = 0; j < k; ++j) {
        const std::size_t e = static_cast<std::size_t>(c) * k + j;
        r.grad_weights[e] += x * dz[j];
        TrainStepGradScales& w = r.grad_weights_scales[e];
        w.terms += std::fabs(x * dz[j]);
        w.logits += std::fabs(x) * dz_error[j].logit_sensitivity;
        w.eval += std::fabs(x) * dz_error[j].eval_error;
      }
    }
  }
  const double inv_n = reduction_multiplier(Reduction::mean, n);  // L is a mean over the batch
  r.loss = loss_sum * inv_n;
  r.loss_scales.eval *= inv_n;
  r.loss_scales.logits *= inv_n;
  for (auto* v : {&r.grad_weights, &r.grad_bias}) {
    for (double& g : *v) g *= inv_n;
  }
  for (auto* v : {&r.grad_weights_scales, &r.grad_bias_scales}) {
    for (TrainStepGradScales& s : *v) {
      s.terms *= inv_n;
      s.logits *= inv_n;
      s.eval *= inv_n;
    }
  }
  return r;
}

}  // namespace lossbench::reference
