#pragma once
// The error bound of a float32 training step against the double-precision
// reference (train_step_reference.hpp), as code, for the tests of the fused
// kernel (emulated and on the GPU), of the cpu backend and of the cuBLAS baseline.
//
// Higham's γ_m ≈ m·2^-24 bounds a float sum of m terms by γ_m times the sum
// of their magnitudes, whatever the order. Applied worst-case to each sum:
// - a logit z_ij is a dot product of `logit_terms` terms (d, the bias, and
//   however the implementation splits them), so |Δz_ij| ≤ γ·A_ij, with A_ij
//   the magnitude of its terms. |d²ℓ/dz²| ≤ 1/4 for bce and < 1/3 for mse,
//   so dz_ij is off by at most |Δz_ij|/3, plus a few ulps of its evaluation;
// - dW_cj and db_j are sums of `row_terms` terms x·dz (or dz) per float
//   accumulator, then exact-enough double sums.
// The reference returns the magnitudes: grad_*_abs (Σ|x·dz|/n) and
// grad_*_logit_scale (Σ|x|·A/n).
#include <cmath>
#include <cstdint>

#include "lossbench/core/backend.hpp"

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

/// |error| allowed for one element of dL/dW or dL/db whose reference value is
/// `reference`, with the reference's magnitudes for that element.
inline double train_step_grad_bound(double abs_scale, double logit_scale, double reference,
                                    TrainStepSumLengths lengths) {
  const double gamma_rows = (lengths.row_terms + 8.0) * 0x1p-24;
  const double gamma_logit = lengths.logit_terms * 0x1p-24;
  return gamma_rows * abs_scale + 8.0 * 0x1p-24 * abs_scale + gamma_logit * logit_scale / 3.0 +
         2.0 * 0x1p-24 * std::fabs(reference) + 1e-30;
}

/// The loss L: float per-element losses summed in double; each ℓ has a few
/// ulps of error plus what its logit's error causes (|dℓ/dz|·|Δz|).
inline double train_step_loss_bound(double reference_loss) {
  return 1e-5 * std::fabs(reference_loss) + 1e-6 * (1.0 + std::fabs(reference_loss));
}

}  // namespace lossbench
