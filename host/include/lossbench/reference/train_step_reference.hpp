#pragma once
// The CPU reference of the single-layer training step (train_step.hpp), in
// double precision: what the fused kernel and the cuBLAS baseline are checked
// against, and what the ref backend runs.
#include <cstdint>
#include <vector>

#include "lossbench/core/loss_kind.hpp"
#include "lossbench/train/train_step_bounds.hpp"

namespace lossbench::reference {

struct TrainStepResult {
  double loss = 0.0;                 // L = (1/n) Σ_i ℓ_i: ℓ_i = Σ_j ℓ(z_ij, y_ij) (mse, bce) or softmax-ce's row loss
  std::vector<double> grad_weights;  // d × k
  std::vector<double> grad_bias;     // k
  // What the error bound of a float32 step is made of, per element of dW
  // and db and for L (train_step_bounds.hpp): batch means of the magnitudes
  // that rounding errors are proportional to.
  std::vector<TrainStepGradScales> grad_weights_scales;  // d × k
  std::vector<TrainStepGradScales> grad_bias_scales;     // k
  TrainStepLossScales loss_scales;
};

/// The step on host arrays (float32 in, as the kernels read them; row-major
/// X n × d, Y n × k, W d × k, b k). Every product and sum in double; the
/// softmax of softmax_ce is softmax_reference.hpp's soft-target row.
TrainStepResult train_step(Loss loss, const float* inputs, const float* targets, const float* weights,
                           const float* bias, std::int64_t n, int d, int k);

/// The loss of one row and dℓ/dz of its k outputs, from the row's logits z
/// (double) and targets y: Σ_j of the elementwise loss (mse, bce), or
/// softmax-ce ℓ = −Σ_j y_j log p_j with dℓ/dz_j = p_j·Σy − y_j.
double row_loss_and_grad(Loss loss, const double* z, const float* y, int k, double* dz);

/// The logits z = XW + b of one row, in double.
void logits_of_row(const float* row, const float* weights, const float* bias, int d, int k, double* z);

}  // namespace lossbench::reference
