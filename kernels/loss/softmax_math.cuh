#pragma once
// The per-row math of the softmax losses, in float32, for the GPU and the CPU
// alike (__host__ __device__): one definition for the kernels, the emulator
// and the cpu backend. The double-precision reference
// (host/include/lossbench/reference/softmax_reference.hpp) is the yardstick,
// and host/include/lossbench/loss/softmax_bounds.hpp the promised accuracy.
//
// Notation (the seed's, for a row of V classes): z the logits, lse =
// log Σ_j e^{z_j}, p = softmax(z), t a class index, q a row of soft targets,
// ℓ the loss of one row.
//
//   softmax-ce, hard label t, smoothing ε, z-loss c:
//     ℓ = (1 − ε)(lse − z_t) + ε·(lse − mean_j z_j) + c·lse²
//     ∂ℓ/∂z_j = p_j·(1 + 2c·lse) − (1 − ε)·[j = t] − ε/V
//   softmax-ce, soft targets q:   ℓ = Σ_j q_j (lse − z_j)   ∂ℓ/∂z_j = p_j·Σq − q_j
//   class weights w (PyTorch's `weight`), hard label t, smoothing ε (no z-loss):
//     ℓ = (1 − ε)·w_t·(lse − z_t) + (ε/V)·Σ_j w_j (lse − z_j)
//     ∂ℓ/∂z_j = p_j·((1 − ε)·w_t + (ε/V)·Σw) − (1 − ε)·w_t·[j = t] − (ε/V)·w_j
//     (the row's state then counts w_j, not 1: count = Σw, gap = Σ w_j (m − z_j));
//     soft targets: q_j ← w_j·q_j as read (after smoothing), the formulas above.
//   kl:  KL(q ‖ p) = Σ_j q_j (log q_j − log p_j), 0·log 0 = 0; gradient as soft ce
//   entropy:  H(p) = lse − Σ_j p_j z_j
// (Rows whose label is ignore_index are skipped by the caller, which also
// leaves them out of the count that a mean divides by.)
//
// Streaming: a row is reduced into a SoftmaxRowState, one logit at a time
// (softmax_push) and partial states pairwise (softmax_combine), in any split
// and order: a thread's strided chunk, then a warp or block tree. The state
// holds the running max m and s = Σ e^{z_j − m} ("online softmax"), so no
// exponential overflows for any finite logits; when m grows by Δ the sums are
// rescaled by e^{−Δ}.
//
// Accuracy: lse is kept as the pair (m, log s), never as one float. With
// |z| up to 1e4 a float lse carries an absolute error of ~1e-3 (half an ulp
// of 1e4), which would be the error of every p_j = e^{z_j − lse}; but
// z_j − m is exact wherever p_j is not negligible (Sterbenz) and log s lies
// in [0, log V], so p_j = e^{(z_j − m) − log s} is good to a few ulps. Every
// loss is likewise a sum of non-negative terms, each formed without
// cancellation: lse − z_t = (m − z_t) + log s, lse − mean z = mean(m − z_j)
// + log s (the state sums m − z_j ≥ 0, not the z_j, whose sum would cancel
// to nothing at |z| ~ 1e4), H = log s + Σ e^{z_j − m}(m − z_j)/s. Only
// differences that are inherent cancel: p_j·A − b_j in the gradients and
// log q_j − log p_j in KL. The bounds, derived term by term, are in
// softmax_bounds.hpp.
//
// Degenerate rows, as PyTorch: a row of all −inf has no softmax; lse = −inf
// and the loss and gradient are NaN (as F.cross_entropy gives). A row of −inf
// except some finite logits is ordinary: the −inf classes get p_j = 0 and a
// gradient of exactly 0 − (their target share); the hard-label loss is +inf
// when the target is a −inf class, and with ε > 0 always (mean z = −inf).
// One deliberate difference: a soft target q_j = 0 at z_j = −inf contributes
// 0 (0·log 0 = 0, the limit), where PyTorch's −Σ q·log_softmax(z) gives
// 0·(−inf) = NaN. NaN logits make the row NaN; +inf logits are outside the
// domain (no finite softmax) and give NaN or inf, never a finite number.
#include "kernels/common/cuda_compat.cuh"
#include "kernels/common/product_zero_wins.cuh"

namespace lossbench::kernels {

/// The streaming reduction of part of a row. For the empty part: m = −inf,
/// every sum 0. Fields only some losses use cost nothing where unused (the
/// compiler drops them).
struct SoftmaxRowState {
  float m = -INFINITY;   // max of the logits seen
  float s = 0.0f;        // Σ e^{z_j − m}; in [1, count] once a finite logit is seen
  float count = 0.0f;    // logits seen (exact in float up to 2^24 classes); Σ w_j with class weights
  float gap = 0.0f;      // Σ w_j (m − z_j) ≥ 0 (w_j = 1 unweighted): label smoothing's; +inf with a −inf logit
  float tilt = 0.0f;     // Σ e^{z_j − m}(m − z_j) ≥ 0: the entropy's Σ p_j (m − z_j), times s
  float q_sum = 0.0f;    // Σ q_j
  float q_gap = 0.0f;    // Σ q_j (m − z_j) ≥ 0, with 0·(m − (−inf)) = 0
  float q_log_q = 0.0f;  // Σ q_j log q_j ≤ 0, with 0·log 0 = 0 (KL's first term)
};

/// The state with its max raised to m_new ≥ state.m: every sum re-expressed
/// about m_new. One exponential; nothing at all when the max is unchanged
/// (so two empty or all −inf parts combine without −inf − (−inf) = NaN).
__host__ __device__ __forceinline__ SoftmaxRowState softmax_rescale(SoftmaxRowState a, float m_new) {
  if (m_new == a.m) return a;
  const float delta = m_new - a.m;  // > 0; +inf when a holds only −inf logits
  const float scale = expf(-delta);
  // Σ e^{z_j − m}(m − z_j) about the new max: e^{−Δ}·(tilt + Δ·s).
  a.tilt = scale * (a.tilt + product_zero_wins(a.s, delta));
  a.s *= scale;
  a.gap += product_zero_wins(a.count, delta);
  a.q_gap += product_zero_wins(a.q_sum, delta);
  a.m = m_new;
  return a;
}

/// The state of a and b together. Associative and commutative up to rounding
/// (softmax_bounds.hpp bounds the result for any tree of combines).
__host__ __device__ __forceinline__ SoftmaxRowState softmax_combine(SoftmaxRowState a, SoftmaxRowState b) {
  // fmaxf drops a NaN max; the NaN still reaches s through the rescale's Δ.
  const float m = fmaxf(a.m, b.m);
  a = softmax_rescale(a, m);
  b = softmax_rescale(b, m);
  SoftmaxRowState r;
  r.m = m;
  r.s = a.s + b.s;
  r.count = a.count + b.count;
  r.gap = a.gap + b.gap;
  r.tilt = a.tilt + b.tilt;
  r.q_sum = a.q_sum + b.q_sum;
  r.q_gap = a.q_gap + b.q_gap;
  r.q_log_q = a.q_log_q + b.q_log_q;
  return r;
}

/// The state of a and b together when both are already expressed about the
/// same max (a.m == b.m, e.g. both rescaled to a group's max first): plain
/// sums, no exponential. The kernels' inner loops and butterflies use this;
/// the result is softmax_combine's, bit for bit, for any max but NaN.
__host__ __device__ __forceinline__ SoftmaxRowState softmax_add_same_max(SoftmaxRowState a, const SoftmaxRowState& b) {
  a.s += b.s;
  a.count += b.count;
  a.gap += b.gap;
  a.tilt += b.tilt;
  a.q_sum += b.q_sum;
  a.q_gap += b.q_gap;
  a.q_log_q += b.q_log_q;
  return a;
}

/// The state of one logit z with target share q (0 for a hard-label row)
/// and class weight w (1 but in a weighted, smoothed hard-label row: it is
/// what count and gap add up). A −inf logit is no evidence of a max: it adds
/// nothing to s and +inf to the gaps (m − (−inf)), each only where its
/// weight (w, q) is not 0.
__host__ __device__ __forceinline__ SoftmaxRowState softmax_single(float z, float q, float w = 1.0f) {
  SoftmaxRowState r;
  r.count = w;
  r.q_sum = q;
  r.q_log_q = q == 0.0f ? 0.0f : q * logf(q);
  if (z == -INFINITY) {
    r.gap = w == 0.0f ? 0.0f : INFINITY;
    r.q_gap = q == 0.0f ? 0.0f : INFINITY;
    return r;
  }
  r.m = z;
  r.s = 1.0f;
  return r;
}

/// softmax_rescale(softmax_single(z, q, w), m) for a max m ≥ z known in
/// advance (a thread's max over its logits, taken first), without its
/// branches: what the row kernels add up once per logit. The same bits for
/// every z, q and m but NaN (where both give a NaN s): d = m − z (+inf for
/// z = −inf, also where m = −inf), e = e^{−d} (1 for d = 0, 0 for +inf), and
/// each sum's term with product_zero_wins where d may be +inf.
__host__ __device__ __forceinline__ SoftmaxRowState softmax_single_about(float z, float q, float m, float w = 1.0f) {
  const float d = z == -INFINITY ? INFINITY : m - z;
  const float e = expf(-d);
  SoftmaxRowState r;
  r.m = m;
  r.s = e;
  r.count = w;
  r.gap = product_zero_wins(w, d);
  r.tilt = product_zero_wins(e, d);
  r.q_sum = q;
  r.q_gap = product_zero_wins(q, d);
  r.q_log_q = q == 0.0f ? 0.0f : q * logf(q);
  return r;
}

/// Adds one logit (and its target share q, if any) to the state.
__host__ __device__ __forceinline__ SoftmaxRowState softmax_push(SoftmaxRowState a, float z, float q = 0.0f) {
  return softmax_combine(a, softmax_single(z, q));
}

/// lse as the pair (m, log s): lse = m + log_s, with log_s in [0, log V].
struct LogSumExp {
  float m;
  float log_s;
  __host__ __device__ __forceinline__ float value() const { return m + log_s; }
};

/// A whole row's lse from its state. All −inf: m = −inf, log s = log 0 = −inf.
__host__ __device__ __forceinline__ LogSumExp softmax_lse(const SoftmaxRowState& row) { return {row.m, logf(row.s)}; }

/// log p_j = (z_j − m) − log s: z_j − m is exact wherever p_j matters.
__host__ __device__ __forceinline__ float softmax_log_prob(const LogSumExp& lse, float z) {
  return (z - lse.m) - lse.log_s;
}

/// p_j = e^{log p_j}; 0 for z_j = −inf.
__host__ __device__ __forceinline__ float softmax_prob(const LogSumExp& lse, float z) {
  return expf(softmax_log_prob(lse, z));
}

/// Hard-label options. ε = c = 0 is plain cross-entropy.
struct SoftmaxCeParams {
  float label_smoothing = 0.0f;  // ε in [0, 1]
  float z_loss = 0.0f;           // c ≥ 0
};

/// ℓ = (1 − ε)·((m − z_t) + log s) + ε·(gap/V + log s) + c·lse²: non-negative
/// terms only. z_t is the target's logit. An all −inf row gives NaN.
__host__ __device__ __forceinline__ float softmax_ce_hard_loss(const SoftmaxRowState& row, const LogSumExp& lse,
                                                               float z_t, const SoftmaxCeParams& params) {
  const float eps = params.label_smoothing;
  const float nll = (lse.m - z_t) + lse.log_s;
  float loss = eps == 0.0f ? nll : product_zero_wins(1.0f - eps, nll) + eps * (row.gap / row.count + lse.log_s);
  if (params.z_loss != 0.0f) {
    const float v = lse.value();
    loss += params.z_loss * v * v;
  }
  return loss;
}

/// The same with class weights: w_t the target's, and for ε > 0 a state that
/// counted the weights (count = Σw, gap = Σ w_j (m − z_j)):
/// ℓ = (1 − ε)·w_t·((m − z_t) + log s) + (ε/V)·(Σw·log s + gap), non-negative
/// terms for w ≥ 0. A zero weight's term is 0, also against an infinite one.
__host__ __device__ __forceinline__ float softmax_ce_weighted_hard_loss(const SoftmaxRowState& row,
                                                                        const LogSumExp& lse, float z_t,
                                                                        float target_weight, float label_smoothing,
                                                                        float classes) {
  const float eps = label_smoothing;
  const float nll = (lse.m - z_t) + lse.log_s;
  const float loss = product_zero_wins((1.0f - eps) * target_weight, nll);
  if (eps == 0.0f) return loss;
  return loss + (eps / classes) * (product_zero_wins(row.count, lse.log_s) + row.gap);
}

/// The parts of a row's hard-label gradient that every element shares,
/// formed once per row: A = 1 + 2c·lse (exactly 1, no multiply, for c = 0)
/// and the target's shares (1 − ε) + ε/V for j = t, ε/V for the others.
struct SoftmaxCeGradTerms {
  float scale;
  bool scaled;  // c ≠ 0, or class weights
  float target_share;
  float other_share;
  bool weighted = false;  // class weights: element j's share is other_share·w_j (+ target_share at t)
};

__host__ __device__ __forceinline__ SoftmaxCeGradTerms softmax_ce_grad_terms(const LogSumExp& lse, float classes,
                                                                             const SoftmaxCeParams& params) {
  const float eps = params.label_smoothing;
  const float smooth = eps == 0.0f ? 0.0f : eps / classes;
  const bool scaled = params.z_loss != 0.0f;
  return {scaled ? 1.0f + 2.0f * params.z_loss * lse.value() : 1.0f, scaled, (1.0f - eps) + smooth, smooth};
}

/// With class weights (and a state that counted them where ε > 0): A =
/// (1 − ε)·w_t + (ε/V)·Σw, and element j's share (1 − ε)·w_t·[j = t] + (ε/V)·w_j.
__host__ __device__ __forceinline__ SoftmaxCeGradTerms softmax_ce_weighted_grad_terms(const SoftmaxRowState& row,
                                                                                      float target_weight,
                                                                                      float label_smoothing,
                                                                                      float classes) {
  const float eps = label_smoothing;
  const float target = (1.0f - eps) * target_weight;
  const float smooth = eps == 0.0f ? 0.0f : eps / classes;
  return {eps == 0.0f ? target : target + smooth * row.count, true, target, smooth, true};
}

/// ∂ℓ/∂z_j = p_j·(1 + 2c·lse) − ((1 − ε)·[j = t] + ε/V), the target's share
/// formed first so that one subtraction (the inherent one) remains; with
/// class weights p_j·A − ((1 − ε)·w_t·[j = t] + (ε/V)·w_j), w_j the class's weight.
__host__ __device__ __forceinline__ float softmax_ce_hard_grad(const LogSumExp& lse, float z_j, bool is_target,
                                                               const SoftmaxCeGradTerms& terms, float w_j = 1.0f) {
  const float p = softmax_prob(lse, z_j);
  if (terms.weighted) {
    const float share = terms.other_share == 0.0f ? 0.0f : terms.other_share * w_j;
    return p * terms.scale - (is_target ? terms.target_share + share : share);
  }
  return (terms.scaled ? p * terms.scale : p) - (is_target ? terms.target_share : terms.other_share);
}

/// The same for one element alone (the shared parts formed on the spot).
__host__ __device__ __forceinline__ float softmax_ce_hard_grad(const LogSumExp& lse, float z_j, bool is_target,
                                                               float classes, const SoftmaxCeParams& params) {
  return softmax_ce_hard_grad(lse, z_j, is_target, softmax_ce_grad_terms(lse, classes, params));
}

/// PyTorch's label smoothing of a probability row, q ← (1 − ε)·q + ε/V,
/// done as the target is read (one fused rounding).
__host__ __device__ __forceinline__ float softmax_smoothed_target(float q, float eps, float classes) {
  return eps == 0.0f ? q : fmaf(1.0f - eps, q, eps / classes);
}

/// Soft targets: ℓ = Σq·log s + Σ q_j (m − z_j), both non-negative. (PyTorch's
/// label smoothing of soft targets is q ← (1 − ε)·q + ε/V, done by the caller.)
__host__ __device__ __forceinline__ float softmax_ce_soft_loss(const SoftmaxRowState& row, const LogSumExp& lse) {
  return product_zero_wins(row.q_sum, lse.log_s) + row.q_gap;
}

/// ∂ℓ/∂z_j = p_j·Σq − q_j, for soft-target ce and KL alike.
__host__ __device__ __forceinline__ float softmax_soft_grad(const LogSumExp& lse, float z_j, float q_j, float q_sum) {
  return softmax_prob(lse, z_j) * q_sum - q_j;
}

/// KL(q ‖ p) of the row = Σ q_j log q_j + (soft ce). The two cancel when p ≈ q,
/// as they must: KL is small there while each term is ~H(q).
__host__ __device__ __forceinline__ float kl_div_row_loss(const SoftmaxRowState& row, const LogSumExp& lse) {
  return row.q_log_q + softmax_ce_soft_loss(row, lse);
}

/// One element of KL for reduction none: q_j·(log q_j − log p_j), 0 where q_j = 0
/// (PyTorch's kl_div gives NaN for q_j = 0 at z_j = −inf; we give the limit, 0).
__host__ __device__ __forceinline__ float kl_div_element(const LogSumExp& lse, float z_j, float q_j) {
  return q_j == 0.0f ? 0.0f : q_j * (logf(q_j) - softmax_log_prob(lse, z_j));
}

/// H(p) = log s + Σ p_j (m − z_j) = lse − Σ p_j z_j, a sum of non-negative terms.
__host__ __device__ __forceinline__ float softmax_entropy(const SoftmaxRowState& row, const LogSumExp& lse) {
  return lse.log_s + row.tilt / row.s;
}

}  // namespace lossbench::kernels
