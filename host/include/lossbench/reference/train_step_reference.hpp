#pragma once
// The CPU reference of the single-layer training step (train_step.hpp), in
// double precision: what the fused kernel and the cuBLAS baseline are checked
// against, and what the ref backend runs.
#include <cstdint>
#include <vector>

#include "lossbench/core/loss_kind.hpp"

namespace lossbench::reference {

struct TrainStepResult {
  double loss = 0.0;                // L = (1/n) Σ_i Σ_j ℓ(z_ij, y_ij)
  std::vector<double> grad_weights;  // d × k
  std::vector<double> grad_bias;     // k
  // Σ_i |X_ic · dℓ/dz_ij| / n and Σ_i |dℓ/dz_ij| / n: the scale that rounding
  // errors of a float32 sum are proportional to, for error bounds.
  std::vector<double> grad_weights_abs;
  std::vector<double> grad_bias_abs;
  // Σ_i |X_ic|·A_ij / n and Σ_i A_ij / n with A_ij = |b_j| + Σ_c |X_ic W_cj|,
  // the magnitude of the terms of logit z_ij: a float dot product's error in
  // z_ij is proportional to A_ij, and it reaches dℓ/dz through |d²ℓ/dz²|.
  std::vector<double> grad_weights_logit_scale;
  std::vector<double> grad_bias_logit_scale;
};

/// The step on host arrays (float32 in, as the kernels read them; row-major
/// X n × d, Y n × k, W d × k, b k). Every product and sum in double.
TrainStepResult train_step(Loss loss, const float* inputs, const float* targets, const float* weights,
                           const float* bias, std::int64_t n, int d, int k);

/// The logits z = XW + b of one row, in double.
void logits_of_row(const float* row, const float* weights, const float* bias, int d, int k, double* z);

}  // namespace lossbench::reference
