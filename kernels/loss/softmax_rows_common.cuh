#pragma once
// What every softmax kernel shares (softmax_small_rows.cuh for V ≤ 32,
// softmax_warp_rows.cuh and softmax_block_rows.cuh for longer rows): the
// parameters the launcher fills, how a soft target and a class index are
// read (ignored rows, invalid labels), the gradient's multiplier, the row's
// loss and each element's gradient, and the deterministic reduction of the
// row losses over fixed tiles of rows.
//
// Reduction: a kernel sums the losses of a tile's counted rows in float and
// counts them (int32), writes both to the tile's slot, then takes an integer
// ticket; the last block sums every tile's partials in double in an order
// fixed by the tile count alone (the same bits for every grid size, every
// schedule, every run; no float atomics) and divides by the reduction's
// divisor: a fixed one (1 for sum, rows for batchmean or the mean over
// probability rows, rows·classes for kl's mean) or the count of rows not
// ignored (cross-entropy's mean over class indices, PyTorch's).
//
// Mean over class indices: the gradient is multiplied by grad_scale / (rows
// not ignored), a count that depends on every label of the batch. The
// launcher runs softmax_count_rows.cuh first, which adds it into a workspace
// slot (integer atomics, deterministic); every block reads it before writing
// a gradient, and the last block resets it to 0 for the next call. PyTorch
// and Liger-Kernel instead sync the host on the count; a second pass over
// the logits to rescale the gradient would cost N·V more reads and writes.
//
// Class weights (PyTorch's `weight`, V values of T): a hard-label row's loss
// and gradient are weighted as softmax_math.cuh says, and the mean divides
// by Σ w_t over the rows not ignored instead of their count; the pre-pass
// (softmax_count_rows.cuh) sums those weights deterministically into a
// workspace slot that every block reads. Soft targets are weighted as read
// (q_j ← w_j·q_j); their mean still divides by the rows, as PyTorch's.
#include <cstdint>
#include <type_traits>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/common/element_types.cuh"
#include "kernels/loss/class_indices.cuh"
#include "kernels/loss/softmax_math.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// Target = ClassIndices: class indices (hard labels, int32 or int64 at run
/// time); Target = the logits' storage type: a row of V probabilities per
/// row (soft targets). An integer type is neither (SoftmaxRowsParams refuses
/// it); kSoftTargets is false for one so that code holding the labels' own
/// type (the tests) asks the same question.
template <class Target>
inline constexpr bool kSoftTargets = !std::is_same_v<Target, ClassIndices> && !std::is_integral_v<Target>;

/// What a kernel reads the targets through: the labels, or the probability rows.
template <class Target>
using SoftmaxTargetsView = std::conditional_t<kSoftTargets<Target>, const Target*, ClassIndices>;

/// What the launcher fills for one call. T: the logits' (and outputs')
/// storage type. Every output pointer may be null (skipped).
template <class T, class Target>
struct SoftmaxRowsParams {
  static_assert(!std::is_integral_v<Target>, "class indices of either width: Target = ClassIndices");
  const T* logits = nullptr;          // rows × classes, row-major; not __restrict__: grad may alias it
  SoftmaxTargetsView<Target> targets{};  // rows labels, or rows × classes probabilities
  T* grad = nullptr;                  // rows × classes; may equal logits
  T* row_loss = nullptr;              // cross-entropy: ℓ per row (0 for an ignored row)
  T* element_loss = nullptr;          // kl: q_j (log q_j − log p_j) per element
  T* row_entropy = nullptr;           // H(p) per row, ignored rows too
  std::int64_t rows = 0;
  std::int64_t classes = 1;           // V >= 1
  std::int64_t ignore_index = -100;   // class indices only
  SoftmaxCeParams ce;                 // ε, c: class indices only
  const T* class_weight = nullptr;    // V class weights (cross-entropy), or null
  const T* smoothing_weight = nullptr;  // class indices with ε > 0: class_weight (the state counts w_j), else null
  float soft_smoothing = 0.0f;        // probability rows: q ← (1 − ε)·q + ε/V as read (PyTorch's)
  bool kl = false;                    // probability rows only: KL(q ‖ p), not −Σ q log p (kernels: kKl)
  float grad_multiplier = 1.0f;       // grad_scale ÷ the fixed divisor of the reduction
  std::int64_t* grad_count = nullptr; // or: also ÷ *grad_count (0 → a zero gradient); reset to 0 by the last block
  const double* weight_sum = nullptr;  // or, class weights: ÷ Σ w_t of the rows not ignored (the pre-pass's), loss too
  // Reduction (all null for none):
  double loss_divisor = 1.0;          // reduced_loss = Σ ℓ ÷ this, or ÷ the count when divide_by_count
  bool loss_divide_by_count = false;
  float* tile_loss = nullptr;         // one float per tile
  std::int32_t* tile_count = nullptr; // one count per tile
  unsigned int* blocks_done = nullptr;  // 0 before launch; the last block resets it
  double* reduced_loss = nullptr;
  std::int64_t* counted_rows = nullptr;  // rows not ignored (every row for probability rows)
};

/// A target probability of column j as the loss sees it: smoothed
/// (softmax_smoothed_target), then times the class's weight, if any.
template <class T, class Target>
__host__ __device__ __forceinline__ float softmax_soft_target(const SoftmaxRowsParams<T, Target>& p, float q,
                                                              std::int64_t j) {
  const float smoothed = softmax_smoothed_target(q, p.soft_smoothing, static_cast<float>(p.classes));
  return p.class_weight == nullptr ? smoothed : to_float(p.class_weight[j]) * smoothed;
}

/// Column j's weight in a hard-label row's state and gradient: w_j where
/// smoothing spreads the target over the weighted classes, else 1.
template <class T, class Target>
__host__ __device__ __forceinline__ float softmax_smoothing_weight(const SoftmaxRowsParams<T, Target>& p,
                                                                   std::int64_t j) {
  return p.smoothing_weight == nullptr ? 1.0f : to_float(p.smoothing_weight[j]);
}

/// What multiplies every gradient element: grad_multiplier, ÷ the count of
/// rows not ignored where the mean needs it (one rounding, in double; 0 when
/// every row is ignored, whose gradients are all 0 anyway: no 0·inf).
template <class T, class Target>
__device__ __forceinline__ float softmax_grad_multiplier(const SoftmaxRowsParams<T, Target>& p) {
  if (p.weight_sum != nullptr) {
    const double sum = *p.weight_sum;  // ≥ 0: the API refuses negative weights
    return sum > 0.0 ? static_cast<float>(static_cast<double>(p.grad_multiplier) / sum) : 0.0f;
  }
  if (p.grad_count == nullptr) return p.grad_multiplier;
  const std::int64_t count = *p.grad_count;
  return count > 0 ? static_cast<float>(static_cast<double>(p.grad_multiplier) / static_cast<double>(count)) : 0.0f;
}

/// The row's loss from its state: KL (kKl), soft-target or hard-label
/// cross-entropy (ε and c for the latter, or ε and the class weights, w_t
/// the target's; z_t is the target's logit).
template <bool kKl, class T, class Target>
__device__ __forceinline__ float softmax_row_loss(const SoftmaxRowsParams<T, Target>& p, const SoftmaxRowState& state,
                                                  const LogSumExp& lse, float z_t, float w_t) {
  if constexpr (kSoftTargets<Target>) {
    return kKl ? kl_div_row_loss(state, lse) : softmax_ce_soft_loss(state, lse);
  } else {
    if (p.class_weight != nullptr) {
      return softmax_ce_weighted_hard_loss(state, lse, z_t, w_t, p.ce.label_smoothing, static_cast<float>(p.classes));
    }
    return softmax_ce_hard_loss(state, lse, z_t, p.ce);
  }
}

/// A row's class index as the kernels treat it (hard labels): ignore_index
/// skips the row (loss 0, gradient 0, not counted); a label outside [0, V)
/// that is not ignore_index (the API validates labels; the kernel must not
/// read out of bounds for one) makes the row's loss and gradient NaN, and
/// the row is counted. For probability rows: valid, not ignored.
struct SoftmaxRowLabel {
  std::int64_t t = 0;
  bool ignored = false;
  bool valid = true;  // t in [0, V): its logit may be read
};

template <class T, class Target>
__device__ __forceinline__ SoftmaxRowLabel softmax_row_label(const SoftmaxRowsParams<T, Target>& p,
                                                             std::int64_t t) {
  if constexpr (kSoftTargets<Target>) {
    return {};
  } else {
    return {t, t == p.ignore_index, t >= 0 && t < p.classes};
  }
}

/// w_t, the class weight of a valid label (1 without class weights). Read
/// where the loss and the gradient need it, not with the label: a weight
/// held from the load to the row's end cost the warp-row kernel a spill.
template <class T, class Target>
__device__ __forceinline__ float softmax_target_weight(const SoftmaxRowsParams<T, Target>& p,
                                                       const SoftmaxRowLabel& label) {
  return label.valid && p.class_weight != nullptr ? to_float(p.class_weight[label.t]) : 1.0f;
}

/// The row's loss as written and summed: softmax_row_loss, 0 for an ignored
/// row, NaN for an invalid label.
template <bool kKl, class T, class Target>
__device__ __forceinline__ float softmax_labelled_row_loss(const SoftmaxRowsParams<T, Target>& p,
                                                           const SoftmaxRowState& state, const LogSumExp& lse,
                                                           const SoftmaxRowLabel& label, float z_t) {
  if (label.ignored) return 0.0f;
  return label.valid ? softmax_row_loss<kKl>(p, state, lse, z_t, softmax_target_weight(p, label)) : NAN;
}

/// What every gradient element of a row shares, formed once per row by
/// softmax_grad_row, so that an element costs its exponential and a few
/// operations: lse, Σq (probability rows), the hard label's terms and
/// target, or the one value of every element of an ignored row (0) or of a
/// row with an invalid label (NaN).
struct SoftmaxGradRow {
  LogSumExp lse;
  float q_sum = 0.0f;
  SoftmaxCeGradTerms ce{};
  std::int64_t target = -1;
  bool constant = false;
  float value = 0.0f;
};

template <class T, class Target>
__device__ __forceinline__ SoftmaxGradRow softmax_grad_row(const SoftmaxRowsParams<T, Target>& p,
                                                           const SoftmaxRowState& state, const LogSumExp& lse,
                                                           const SoftmaxRowLabel& label) {
  SoftmaxGradRow row;
  row.lse = lse;
  if constexpr (kSoftTargets<Target>) {
    row.q_sum = state.q_sum;
  } else {
    row.ce = p.class_weight != nullptr ? softmax_ce_weighted_grad_terms(state, softmax_target_weight(p, label),
                                                                        p.ce.label_smoothing,
                                                                        static_cast<float>(p.classes))
                                       : softmax_ce_grad_terms(lse, static_cast<float>(p.classes), p.ce);
    row.target = label.t;
    row.constant = label.ignored || !label.valid;
    row.value = label.ignored ? 0.0f : NAN;
  }
  return row;
}

/// Element j's gradient of the row's loss, before the multiplier: soft
/// targets p_j·Σq − q_j; hard labels softmax_ce_hard_grad (w: the class's
/// softmax_smoothing_weight), or the row's one value.
template <class Target>
__device__ __forceinline__ float softmax_element_grad(const SoftmaxGradRow& row, std::int64_t j, float z, float q,
                                                      float w = 1.0f) {
  if constexpr (kSoftTargets<Target>) {
    return softmax_soft_grad(row.lse, z, q, row.q_sum);
  } else {
    return row.constant ? row.value : softmax_ce_hard_grad(row.lse, z, j == row.target, row.ce, w);
  }
}

/// Shared memory of the reduction, for a block of kThreads.
template <int kThreads>
union SoftmaxReductionStorage {
  typename cub::BlockReduce<float, kThreads>::TempStorage as_float;
  typename cub::BlockReduce<int, kThreads>::TempStorage as_int;
  typename cub::BlockReduce<double, kThreads>::TempStorage as_double;
  typename cub::BlockReduce<long long, kThreads>::TempStorage as_count;
};

/// The block's sums of its threads' (loss, count) for tile `tile`, written
/// to the tile's slots. Every thread of the block calls it.
template <int kThreads, class T, class Target>
__device__ __forceinline__ void write_softmax_tile_partials(const SoftmaxRowsParams<T, Target>& p, std::int64_t tile,
                                                            float loss, int count,
                                                            SoftmaxReductionStorage<kThreads>& temp, int thread) {
  const float tile_sum = cub::BlockReduce<float, kThreads>(temp.as_float).Sum(loss);
  __syncthreads();  // as_float and as_int share storage
  const int tile_rows = cub::BlockReduce<int, kThreads>(temp.as_int).Sum(count);
  if (thread == 0) {
    p.tile_loss[tile] = tile_sum;
    p.tile_count[tile] = tile_rows;
  }
  __syncthreads();  // temp is reused by the next tile's reduction
}

/// Called by every block after its tiles: the last block to arrive sums all
/// tile partials (loss in double, count in int64) in an order fixed by the
/// tile count alone, divides, and resets the counters for the next call.
template <int kThreads, class T, class Target>
__device__ __forceinline__ void finish_softmax_reduction(const SoftmaxRowsParams<T, Target>& p,
                                                         std::int64_t num_tiles,
                                                         SoftmaxReductionStorage<kThreads>& temp,
                                                         bool& is_last_block, int thread) {
  __threadfence();  // this block's partials visible before its ticket
  if (thread == 0) is_last_block = atomicAdd(p.blocks_done, 1u) == gridDim.x - 1;
  __syncthreads();
  if (!is_last_block) return;
  __threadfence();
  // volatile: read what the other blocks wrote, not a copy in this SM's L1.
  const volatile float* losses = p.tile_loss;
  const volatile std::int32_t* counts = p.tile_count;
  double sum = 0.0;
  long long count = 0;
  for (std::int64_t t = thread; t < num_tiles; t += kThreads) {
    sum += losses[t];
    count += counts[t];
  }
  const double total = cub::BlockReduce<double, kThreads>(temp.as_double).Sum(sum);
  __syncthreads();  // as_double and as_count share storage
  const long long total_count = cub::BlockReduce<long long, kThreads>(temp.as_count).Sum(count);
  if (thread == 0) {
    // Every row ignored (or weighing 0): 0 ÷ 0 = NaN, PyTorch's mean of nothing.
    const double divisor = !p.loss_divide_by_count  ? p.loss_divisor
                           : p.weight_sum != nullptr ? *p.weight_sum
                                                     : static_cast<double>(total_count);
    *p.reduced_loss = total / divisor;
    if (p.counted_rows != nullptr) *p.counted_rows = total_count;
    // Ready for the next launch without a memset: every other block has
    // read the count (before its ticket).
    *p.blocks_done = 0;
    if (p.grad_count != nullptr) *p.grad_count = 0;
  }
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
