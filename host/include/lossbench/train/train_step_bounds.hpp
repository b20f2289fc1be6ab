#pragma once
// The error bound of a float32 training step against the double-precision
// reference (train_step_reference.hpp), as code, for the tests of the fused
// kernel (emulated and on the GPU), of the cpu backend and of the cuBLAS baseline.
//
// Higham's γ_m ≈ m·2^-24 bounds a float sum of m terms by γ_m times the sum
// of their magnitudes, whatever the order. Applied worst-case to each sum:
// - a logit z_ij is a dot product of `logit_terms` terms (d, the bias, and
//   however the implementation splits them), so |Δz_ij| ≤ γ·A_ij, with A_ij
//   the magnitude of its terms. dz_ij = dℓ/dz_ij moves by at most γ·S_ij,
//   S_ij = Σ_m |∂dz_ij/∂z_im|·A_im to first order (train_step_dz_error_terms);
// - dz_ij itself, evaluated in float from those logits, is off by E_ij;
// - dW_cj and db_j are sums of `row_terms` terms x·dz (or dz) per float
//   accumulator, then exact-enough double sums.
// The reference returns, per element of dW and db, the batch means of
// |x·dz|, |x|·S and |x|·E (TrainStepGradScales).
//
// The losses differ only in S and E:
// - mse, bce (per element): |d²ℓ/dz²| ≤ 1/4 for bce and < 1/3 for mse, so
//   S_ij = A_ij/3; E_ij = 8u·|dz_ij|, a few ulps of σ, a − y and the 1/n scale.
// - softmax_ce (per row, dz_ij = p_ij·Σy − y_ij): ∂dz_ij/∂z_im =
//   Σy·p_ij·([j = m] − p_im), so S_ij = Σy·p_ij·((1 − p_ij)·A_ij + Σ_{m≠j}
//   p_im·A_im); E_ij is softmax_grad_error_bound (softmax_bounds.hpp) for a
//   soft-target row of k classes at depth k (a sequential pass over the
//   row, which bounds the kernel's rescale-and-butterfly too: 1 + log2
//   bit_ceil(k) ≤ k), plus 2u·|dz_ij| for the 1/n scale. With k ≤ 16 that is
//   p_ij·Σy·(γ(6k + 3 ln k + 4) + 2u·|log p_ij| + 6u + γ(k + 1)) + 2u·y_ij
//   + 3u·|dz_ij|: the cancellation p·Σy − y is inherent, so the bound is
//   relative to the terms subtracted, not to dz.
#include <cmath>
#include <cstdint>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/loss_kind.hpp"

namespace lossbench {

/// The longest float sums of an implementation of the step.
struct TrainStepSumLengths {
  double row_terms;    // terms per float accumulator of dW and db
  double logit_terms;  // terms per float dot product of a logit, bias included
};

/// The fused kernel: a block's rows per dW accumulator; a lane's d/64
/// columns, five reduce-scatter levels, the other warp's half and the bias.
TrainStepSumLengths fused_train_step_sum_lengths(std::int64_t n, int d);

/// The cpu backend: a tile's 16 rows per dW and db accumulator (tiles are
/// then added in double); a logit is ⌈d/4⌉ fmas per accumulator lane (4 to
/// 16 lanes on every target: the scalar fallback keeps 4 accumulators), the
/// lanes' sum in any order (at most 15 additions on a path) and the bias.
TrainStepSumLengths cpu_train_step_sum_lengths(std::int64_t n, int d);

/// The sum lengths of `backend`'s train_step(): the cpu backend's, else the
/// fused kernel's (emu, cuda; ref is the reference itself).
TrainStepSumLengths train_step_sum_lengths(Backend backend, std::int64_t n, int d);

/// What the bound of one element of dL/dW (input c, output j) or dL/db (j)
/// is made of: means over the batch's rows i, which the reference computes
/// (x_ic = 1 for db).
struct TrainStepGradScales {
  double terms = 0.0;   // Σ_i |x_ic·dz_ij| / n: what the rounding of a float sum is relative to
  double logits = 0.0;  // Σ_i |x_ic|·S_ij / n: dz's change per unit γ of the logits' dot products
  double eval = 0.0;    // Σ_i |x_ic|·E_ij / n: dz's float evaluation error at exact logits
};

/// What the bound of the loss L is made of: means over the batch's rows.
struct TrainStepLossScales {
  double eval = 0.0;    // Σ_i E_i / n: the float evaluation error of row i's loss at exact logits
  double logits = 0.0;  // Σ_i Σ_j |dz_ij|·A_ij / n: the loss's change per unit γ of the logits' dot products
};

/// S_ij and E_ij of one output of a row (see the top of this file).
struct TrainStepDzErrorTerms {
  double logit_sensitivity;  // S
  double eval_error;         // E
};

/// The terms of the k outputs of one row into `terms`, from the row's exact
/// logits z, the magnitudes A of their dot products' terms, the targets y,
/// the exact dz and the row's exact loss. Returns E_i, the bound of the
/// float evaluation error of the row's loss: for softmax_ce the soft-target
/// loss bound of softmax_bounds.hpp (depth k); 0 for mse and bce, whose few
/// ulps per element the relative term of train_step_loss_bound covers.
/// Computed in double; by the reference, for every row.
double train_step_row_error_terms(Loss loss, const double* z, const double* logit_magnitude, const float* y,
                                  const double* dz, double row_loss, int k, TrainStepDzErrorTerms* terms);

/// |error| allowed for one element of dL/dW or dL/db whose reference value is
/// `reference`, with the reference's scales for that element.
inline double train_step_grad_bound(const TrainStepGradScales& scales, double reference,
                                    TrainStepSumLengths lengths) {
  const double gamma_rows = (lengths.row_terms + 8.0) * 0x1p-24;
  const double gamma_logit = lengths.logit_terms * 0x1p-24;
  return gamma_rows * scales.terms + scales.eval + gamma_logit * scales.logits + 2.0 * 0x1p-24 * std::fabs(reference) +
         1e-30;
}

/// The loss L: float per-row (per-element) losses summed in double. Each ℓ
/// has a few ulps of error (the relative term), its evaluation error beyond
/// that (softmax_ce's log s: scales.eval) and what its logits' errors cause,
/// Σ_j |dℓ/dz_j|·|Δz_j| to first order (scales.logits).
inline double train_step_loss_bound(double reference_loss, const TrainStepLossScales& scales,
                                    TrainStepSumLengths lengths) {
  const double gamma_logit = lengths.logit_terms * 0x1p-24;
  return 1e-5 * std::fabs(reference_loss) + 1e-6 * (1.0 + std::fabs(reference_loss)) + scales.eval +
         gamma_logit * scales.logits;
}

}  // namespace lossbench
