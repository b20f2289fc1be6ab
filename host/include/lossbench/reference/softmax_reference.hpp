#pragma once
// The double-precision reference of the softmax losses: cross-entropy with
// hard labels (label smoothing, ignore_index, z-loss) or soft targets, KL
// divergence, and the softmax's entropy. Written for clarity, independently
// of the float32 streaming math in kernels/loss/softmax_math.cuh: two passes
// over a row (the max, then the sum of exponentials), every loss as PyTorch
// defines it, −Σ_j w_j log p_j, and compensated sums.
//
// Notation (the seed's, for a row of V classes): z the logits, lse =
// log Σ_j e^{z_j}, p = softmax(z), t a class index, q a row of soft targets.
//
//   hard label t:  ℓ = −Σ_j w_j log p_j + c·lse²,  w_j = (1 − ε)·[j = t] + ε/V
//                    = (1 − ε)(lse − z_t) + ε·(lse − mean_j z_j) + c·lse²
//                  ∂ℓ/∂z_j = p_j·(1 + 2c·lse) − w_j
//   soft targets:  ℓ = −Σ_j q_j log p_j           ∂ℓ/∂z_j = p_j·Σq − q_j
//   class weights c_j (PyTorch's `weight`): the hard label's w_j become
//     (1 − ε)·c_t·[j = t] + (ε/V)·c_j, and ∂ℓ/∂z_j = p_j·Σw − w_j; soft
//     targets q_j become c_j·q_j. (No z-loss with class weights.)
//   KL(q ‖ p) = Σ_j q_j (log q_j − log p_j)        gradient as soft targets
//   H(p) = −Σ_j p_j log p_j = lse − Σ_j p_j z_j
// A term whose weight is 0 is 0, also where log p_j = −∞ (0·log 0 = 0).
// A row of all −∞ has lse = −∞ and NaN loss, gradient and entropy (PyTorch's
// cross_entropy gives NaN there too). softmax_math.cuh lists the other
// degenerate cases and where we differ from PyTorch (q_j = 0 at z_j = −∞).
//
// Reductions over the N rows, with PyTorch's meanings:
//   hard labels: none (ℓ per row, 0 for an ignored row), sum, mean = sum over
//     the rows whose label is not ignore_index, divided by their count (NaN
//     when every row is ignored; the gradient is then 0), or with class
//     weights by Σ c_t over them (NaN when 0; the gradient is then 0);
//   soft targets: none, sum, mean = sum / N;
//   KL (torch.nn.functional.kl_div with log_target=False): none is
//     elementwise, one value per (row, class); sum; mean divides by N·V;
//     batchmean by N (the mathematical KL per sample).
// The gradient returned is that of the reduced loss (of the sum for none).
//
// The logits and targets are taken as double; converting f32/f16/bf16 input
// exactly to double is the caller's job.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "lossbench/core/loss_kind.hpp"

namespace lossbench::reference {

/// What a softmax row is, in double.
struct SoftmaxRow {
  double max;      // max_j z_j
  double log_s;    // log Σ_j e^{z_j − max} = lse − max, in [0, log V]
  double lse;      // log Σ_j e^{z_j}
  double entropy;  // H(p)
  /// Σ_j p_j (max − z_j)²: the float entropy's error bound needs it.
  double gap_second_moment;
  std::vector<double> prob;  // p_j
  std::vector<double> log_prob;  // log p_j = (z_j − max) − log_s
};

/// Two passes over the row. V ≥ 1 (InputError otherwise).
SoftmaxRow softmax_row(std::span<const double> z);

/// One row's loss and its gradient with respect to the row's logits.
struct RowLossAndGrad {
  double loss;
  std::vector<double> grad;
};

struct SoftmaxCeOptions {
  double label_smoothing = 0.0;     // ε in [0, 1]
  double z_loss = 0.0;              // c ≥ 0
  std::int64_t ignore_index = -100;  // PyTorch's default
  /// V class weights, or empty for none; a view: the caller keeps them.
  std::span<const double> class_weight{};
};

/// Hard label t in [0, V) (the caller handles ignore_index).
RowLossAndGrad softmax_ce_hard_row(std::span<const double> z, std::int64_t target, const SoftmaxCeOptions& options);

/// Soft targets q (same length as z; not required to sum to 1).
RowLossAndGrad softmax_ce_soft_row(std::span<const double> z, std::span<const double> q);

/// KL(q ‖ p) of one row, with the elementwise terms q_j (log q_j − log p_j)
/// in `elements` (what kl_div's reduction none returns).
struct KlRow {
  double loss;
  std::vector<double> elements;
  std::vector<double> grad;
};
KlRow kl_div_row(std::span<const double> z, std::span<const double> q);

/// PyTorch's kl_div reductions (ours for softmax-ce use lossbench::Reduction).
enum class KlReduction { none, sum, mean, batchmean };

struct SoftmaxBatchResult {
  /// The reduced loss; empty for none.
  std::optional<double> reduced_loss;
  /// For none: ℓ per row (ce), or per (row, class) element (KL).
  std::vector<double> losses;
  /// N·V: the gradient of the reduced loss (of the sum of `losses` for none).
  std::vector<double> grad;
  /// Per row: lse and H(p), the extra outputs a kernel may write.
  std::vector<double> lse;
  std::vector<double> entropy;
  /// The rows a mean divides by (hard labels: those not ignored).
  std::int64_t counted_rows = 0;
};

/// logits: N·V values, row-major; targets: N class indices, each in [0, V)
/// or ignore_index (InputError naming the row otherwise).
SoftmaxBatchResult softmax_ce_hard(std::span<const double> logits, std::int64_t classes,
                                   std::span<const std::int64_t> targets, const SoftmaxCeOptions& options,
                                   Reduction reduction);

/// targets: N·V soft targets, row-major (smoothed already); class_weight:
/// V weights or empty.
SoftmaxBatchResult softmax_ce_soft(std::span<const double> logits, std::int64_t classes,
                                   std::span<const double> targets, Reduction reduction,
                                   std::span<const double> class_weight = {});

/// targets: N·V probabilities q (log_target=False), row-major.
SoftmaxBatchResult kl_div(std::span<const double> logits, std::int64_t classes, std::span<const double> targets,
                          KlReduction reduction);

}  // namespace lossbench::reference
