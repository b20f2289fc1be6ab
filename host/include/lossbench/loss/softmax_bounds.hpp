#pragma once
// The error bounds of the float32 softmax math (kernels/loss/softmax_math.cuh)
// against the double-precision reference (reference/softmax_reference.hpp)
// on the same float inputs, as code: the tests check these functions, so the
// documented bound is the checked bound.
//
// u = 2^-24 (float32's unit roundoff), γ(n) = n·u/(1 − n·u). An operation
// rounds by at most u; expf by 2 ulps (CUDA's documented maximum), so 4u;
// logf by 1 ulp, so 2u. First-order terms, with the γ absorbing the rest.
//
// Depth k: the most softmax_combine steps (softmax_push counts as one) that
// any one logit's partial state passes through: V for one sequential pass,
// ⌈log2 V⌉ for a pairwise tree, chunk length + tree depth for a kernel's
// strided chunks reduced across threads.
//
// log s (so lse − m): each term e^{z_j − m} of s is rescaled and added at
// most k times, an exp, a multiply and an add each (6u), and the arguments
// of its exponentials, Δs that sum to m − z_j, are each rounded to u·Δ. The
// relative error of s is then at most 6k·u + u·Σ_j p_j (m − z_j) ≤ 6k·u +
// u·ln V (Σ p_j (m − z_j) = H(p) − log s ≤ ln V), and logf adds 2u·log s ≤
// 2u·ln V:
//   E_s = γ(6k + 3·ln V + 4)                            |log_s − log_s_ref|
//   lse: E_s + 2u·|lse|                                  (m + log s rounded)
// Loss of a hard-label row, ℓ = (1 − ε)((m − z_t) + log s) + ε(gap/V +
// log s) + c·lse²: non-negative terms, each a few roundings from exact
// (gap sums the m − z_j through k adds: γ(k + 4)), plus log s's error and
// its echo in lse² = (m + log s)²:
//   |ℓ − ℓ_ref| ≤ γ(k + 8)·ℓ_ref + E_s·(1 + 2c·|lse|)
// With class weights, ℓ = (1 − ε)·w_t·((m − z_t) + log s) + (ε/V)·(Σw·log s
// + Σ w_j (m − z_j)): Σw and the weighted gap through k adds each, a product
// per term and a few to combine them, with log s's error times its
// coefficient A = (1 − ε)·w_t + (ε/V)·Σw; subnormal weights make subnormal
// products, good only to f = kFloatMathUnderflow each (see below):
//   |ℓ − ℓ_ref| ≤ γ(2k + 10)·ℓ_ref + A·E_s + f·(V + Σ_j |log p_j|)
// Soft targets, ℓ = Σq·log s + Σ q_j(m − z_j): Σq and Σ q_j Δ through k adds
// each: γ(2k + 4)·ℓ_ref + Σq·E_s.
// KL = Σ q_j log q_j + (soft ℓ): as soft, plus γ(k + 3) of Σ q_j|log q_j| =
// ℓ_soft − KL for q ≤ 1; relative to both (they cancel when p ≈ q):
//   γ(2k + 4)·(2·ℓ_soft − KL) + Σq·E_s + u·|KL|.
// KL element (reduction none) q_j(log q_j − log p_j):
//   q_j·(E_s + 3u·(|log q_j| + |log p_j|)) + u·|ℓ_j|
// Entropy H = log s + tilt/s: tilt = Σ e^{d_j}·(−d_j) (d_j = z_j − m) is
// rescaled like s (6u per step for e^{d_j}, one more add and multiply for
// −d_j), so tilt/s is good to γ(13k + 10) plus the argument roundings
// u·Σ p_j d_j², which the reference gives:
//   |H − H_ref| ≤ E_s + γ(13k + 10)·(H_ref − log s_ref) + u·Σ p_j d_j² + u·H_ref
// Gradient element g_j = p_j·A − b_j, A = 1 + 2c·lse (1 for soft, where it
// is Σq), b_j the target's share: p_j = e^{(z_j − m) − log s} is off by
// E_s + u·|z_j − m| + u·|log p_j| + 4u ≤ E_s + 2u·|log p_j| + 4u relative;
// A by 2c·(E_s + 3u·|lse|) absolute (γ(k + 1) relative for Σq); the
// subtraction is the inherent cancellation, so the bound is relative to
// the terms subtracted:
//   |g − g_ref| ≤ p_j·|A|·(E_s + 2u·|log p_j| + 6u + γ(k + 1)·[soft])
//                 + p_j·2c·(E_s + 3u·|lse|) + 2u·b_j + u·|g_ref| + f·(1 + |A|)
// f = kFloatMathUnderflow (fused_loss_bounds.hpp): an exponential below
// 2^-126 keeps only an absolute precision of 2^-150.
//
// A NaN passes only where the reference is NaN too (error_in_bound_units).
#include <cstdint>

namespace lossbench {

/// u: float32's unit roundoff.
inline constexpr double kFloatUnitRoundoff = 0x1p-24;

/// γ(n) = n·u/(1 − n·u): n roundings compounded (+inf once n·u ≥ 1).
double float_gamma(double n);

/// k for one sequential pass of softmax_push over V logits.
std::int64_t sequential_depth(std::int64_t classes);
/// k for a pairwise tree of softmax_combine over V single-logit states.
std::int64_t pairwise_depth(std::int64_t classes);
/// The k every backend's softmax_loss() keeps to, which `lossbench verify`
/// checks it by: a row reduced as chunks of at most ⌈V/16⌉ logits each,
/// then a tree of depth at most ⌈log2 V⌉ + 2 (rescales included).
std::int64_t softmax_backend_depth(std::int64_t classes);
/// Rows whose float losses a backend may add before it adds in double: the
/// reduced loss's bound charges γ(this + 12) of Σ|ℓ| (a block's tree of 12 levels).
inline constexpr std::int64_t kSoftmaxFloatSumRows = 1024;

/// What every softmax bound needs to know of a row, from the reference.
struct SoftmaxBoundRow {
  std::int64_t classes;  // V
  std::int64_t depth;    // k
  double lse;            // the reference's
  double log_s;          // the reference's lse − max
};

/// E_s: the bound of |log s − log s_ref|.
double softmax_log_s_error_bound(const SoftmaxBoundRow& row);
/// The bound of |lse − lse_ref|.
double softmax_lse_error_bound(const SoftmaxBoundRow& row);
/// Hard-label loss (ε, c as given; c = 0 without z-loss).
double softmax_ce_hard_loss_error_bound(const SoftmaxBoundRow& row, double loss_ref, double z_loss);
/// Hard-label loss with class weights; log_s_weight = A, underflow_terms =
/// V + Σ_j |log p_j| over the finite ones (the reference's).
double softmax_ce_weighted_hard_loss_error_bound(const SoftmaxBoundRow& row, double loss_ref, double log_s_weight,
                                                 double underflow_terms);
/// Soft-target cross-entropy; q_sum = Σ q_j.
double softmax_ce_soft_loss_error_bound(const SoftmaxBoundRow& row, double loss_ref, double q_sum);
/// KL of a row with q ≤ 1, given the reference's soft ce of the same row.
double kl_div_row_error_bound(const SoftmaxBoundRow& row, double kl_ref, double soft_ce_ref, double q_sum);
/// One KL element, q_j (log q_j − log p_j).
double kl_div_element_error_bound(const SoftmaxBoundRow& row, double element_ref, double q, double log_prob_ref);
/// H(p), given Σ p_j (max − z_j)² (reference::SoftmaxRow::gap_second_moment).
double softmax_entropy_error_bound(const SoftmaxBoundRow& row, double entropy_ref, double gap_second_moment);

/// One gradient element g_j = p_j·A − b_j.
struct SoftmaxGradTerms {
  double prob;      // p_j, the reference's
  double log_prob;  // log p_j, the reference's
  double scale;     // A: 1 + 2c·lse for hard labels, Σq for soft targets and KL
  double share;     // b_j: (1 − ε)[j = t] + ε/V, or q_j
  double z_loss;    // c (0 for soft targets and KL)
  bool soft;        // A = Σq, itself a sum through k adds
};
double softmax_grad_error_bound(const SoftmaxBoundRow& row, const SoftmaxGradTerms& terms, double grad_ref);

}  // namespace lossbench
