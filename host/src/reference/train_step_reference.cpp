#include "lossbench/reference/train_step_reference.hpp"

#include <cmath>
#include <cstddef>

#include "lossbench/reference/fused_loss_reference.hpp"

namespace lossbench::reference {

void logits_of_row(const float* row, const float* weights, const float* bias, int d, int k, double* z) {
  for (int j = 0; j < k; ++j) z[j] = bias[j];
  for (int c = 0; c < d; ++c) {
    const double x = row[c];
    if (x == 0.0) continue;  // images are mostly zeros; skipping changes no bit of a finite sum
    for (int j = 0; j < k; ++j) z[j] += x * static_cast<double>(weights[static_cast<std::size_t>(c) * k + j]);
  }
}

TrainStepResult train_step(Loss loss, const float* inputs, const float* targets, const float* weights,
                           const float* bias, std::int64_t n, int d, int k) {
  TrainStepResult r;
  const auto dk = static_cast<std::size_t>(d) * static_cast<std::size_t>(k);
  r.grad_weights.assign(dk, 0.0);
  r.grad_bias.assign(static_cast<std::size_t>(k), 0.0);
  r.grad_weights_abs.assign(dk, 0.0);
  r.grad_bias_abs.assign(static_cast<std::size_t>(k), 0.0);
  r.grad_weights_logit_scale.assign(dk, 0.0);
  r.grad_bias_logit_scale.assign(static_cast<std::size_t>(k), 0.0);
  std::vector<double> z(static_cast<std::size_t>(k));
  std::vector<double> logit_magnitude(static_cast<std::size_t>(k));
  std::vector<double> dz(static_cast<std::size_t>(k));
  double loss_sum = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    const float* row = inputs + static_cast<std::size_t>(i) * static_cast<std::size_t>(d);
    logits_of_row(row, weights, bias, d, k, z.data());
    for (int j = 0; j < k; ++j) logit_magnitude[j] = std::fabs(static_cast<double>(bias[j]));
    for (int c = 0; c < d; ++c) {
      for (int j = 0; j < k; ++j) {
        logit_magnitude[j] += std::fabs(static_cast<double>(row[c]) * weights[static_cast<std::size_t>(c) * k + j]);
      }
    }
    for (int j = 0; j < k; ++j) {
      const LossAndGrad e = elementwise(loss, z[j], targets[static_cast<std::size_t>(i) * k + j]);
      loss_sum += e.loss;
      dz[j] = e.grad;
      r.grad_bias[j] += e.grad;
      r.grad_bias_abs[j] += std::fabs(e.grad);
      r.grad_bias_logit_scale[j] += logit_magnitude[j];
    }
    for (int c = 0; c < d; ++c) {
      const double x = row[c];
      for (int j = 0; j < k; ++j) {
        r.grad_weights[static_cast<std::size_t>(c) * k + j] += x * dz[j];
        r.grad_weights_abs[static_cast<std::size_t>(c) * k + j] += std::fabs(x * dz[j]);
        r.grad_weights_logit_scale[static_cast<std::size_t>(c) * k + j] += std::fabs(x) * logit_magnitude[j];
      }
    }
  }
  const double inv_n = reduction_multiplier(Reduction::mean, n);  // L is a mean over the batch
  r.loss = loss_sum * inv_n;
  for (auto* v : {&r.grad_weights, &r.grad_bias, &r.grad_weights_abs, &r.grad_bias_abs, &r.grad_weights_logit_scale,
                  &r.grad_bias_logit_scale}) {
    for (double& g : *v) g *= inv_n;
  }
  return r;
}

}  // namespace lossbench::reference
