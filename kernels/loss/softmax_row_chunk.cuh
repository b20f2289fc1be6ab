#pragma once
// A thread's share of a row in the row kernels (softmax_warp_rows.cuh: a
// warp per row; softmax_block_rows.cuh: a block per row): kItems logits (and
// target probabilities) of one chunk in registers, read from global or
// shared memory, folded into the thread's SoftmaxRowState, and turned into
// gradient elements once the row's state is known.
//
// Layout: G = kStride threads share a row; item i of thread r in the chunk
// starting at column `first` is column first + i·G + r. Each item's load is
// then one contiguous run of G elements across the threads (coalesced), and
// a staged chunk lands in shared memory at its column, with consecutive
// threads in consecutive banks.
//
// Columns are int: the launchers take V < 2^31 (the row's offset, row·V, is
// 64-bit and folded into the row's pointers once per row), which keeps one
// 32-bit register per item's index instead of two.
//
// The elements are kept as stored (T), converted to float where used: a
// chunk staged to shared memory is copied back bit for bit, and a smoothed
// target (softmax_soft_target) is recomputed identically in the second pass.
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/common/element_types.cuh"
#include "kernels/loss/softmax_math.cuh"
#include "kernels/loss/softmax_rows_common.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// kItems logits of a thread, and as many target probabilities for
/// probability rows (one unused slot for class indices).
template <int kItems, class T, class Target>
struct SoftmaxRowChunk {
  T z[kItems];
  T q[kSoftTargets<Target> ? kItems : 1];
};

/// Reads the thread's items of the chunk at column `first` from z_row (and
/// q_row for probability rows): a row in global memory or its staged copy
/// in shared memory, both indexed by column. Columns ≥ V are not read.
template <int kStride, int kItems, class T, class Target>
__device__ __forceinline__ void load_softmax_row_chunk(SoftmaxRowChunk<kItems, T, Target>& chunk, const T* z_row,
                                                       const T* q_row, int classes, int first, int thread_in_row) {
LOSSBENCH_UNROLL
  for (int i = 0; i < kItems; ++i) {
    const int column = first + i * kStride + thread_in_row;
    const bool in_row = column < classes;
    chunk.z[i] = in_row ? z_row[column] : T{};
    if constexpr (kSoftTargets<Target>) chunk.q[i] = in_row ? q_row[column] : T{};
  }
}

/// Writes the thread's items to the staging copy (the inverse of a load from it).
template <int kStride, int kItems, class T, class Target>
__device__ __forceinline__ void stage_softmax_row_chunk(const SoftmaxRowChunk<kItems, T, Target>& chunk, T* z_stage,
                                                        T* q_stage, int classes, int first, int thread_in_row) {
LOSSBENCH_UNROLL
  for (int i = 0; i < kItems; ++i) {
    const int column = first + i * kStride + thread_in_row;
    if (column >= classes) continue;
    z_stage[column] = chunk.z[i];
    if constexpr (kSoftTargets<Target>) q_stage[column] = chunk.q[i];
  }
}

/// The thread's state with the chunk's items added: their max first, each
/// item's one-logit state about it (softmax_single_about: one exponential
/// per logit, no branch), summed in item order, and the sum combined into
/// `state`. Without kEntropy the
/// entropy's tilt is left out (0), which saves its work per logit.
template <int kStride, bool kEntropy, int kItems, class T, class Target>
__device__ __forceinline__ SoftmaxRowState accumulate_softmax_row_chunk(const SoftmaxRowsParams<T, Target>& p,
                                                                        const SoftmaxRowChunk<kItems, T, Target>& chunk,
                                                                        int classes, int first, int thread_in_row,
                                                                        SoftmaxRowState state) {
  // fmaxf drops NaN logits here; their rescale below makes s NaN.
  float m = -INFINITY;
LOSSBENCH_UNROLL
  for (int i = 0; i < kItems; ++i) {
    if (first + i * kStride + thread_in_row < classes) m = fmaxf(m, to_float(chunk.z[i]));
  }
  SoftmaxRowState sum;
  sum.m = m;
LOSSBENCH_UNROLL
  for (int i = 0; i < kItems; ++i) {
    const int column = first + i * kStride + thread_in_row;
    if (column >= classes) continue;
    float q = 0.0f;
    float w = 1.0f;
    if constexpr (kSoftTargets<Target>) {
      q = softmax_soft_target(p, to_float(chunk.q[i]), column);
    } else {
      w = softmax_smoothing_weight(p, column);  // V weights: read from cache, not kept
    }
    sum = softmax_add_same_max(sum, softmax_single_about(to_float(chunk.z[i]), q, m, w));
  }
  if constexpr (!kEntropy) sum.tilt = 0.0f;
  return softmax_combine(state, sum);
}

/// The chunk's gradient elements (× multiplier) into grad_row and, for KL,
/// its elements of the loss into loss_row: the row's part of p.grad and
/// p.element_loss, each skipped where null. Every element written was read
/// by this thread before (in place is safe).
template <int kStride, bool kKl, int kItems, class T, class Target>
__device__ __forceinline__ void write_softmax_row_chunk(const SoftmaxRowsParams<T, Target>& p,
                                                        const SoftmaxRowChunk<kItems, T, Target>& chunk,
                                                        const SoftmaxGradRow& row, float multiplier, T* grad_row,
                                                        T* loss_row, int classes, int first, int thread_in_row) {
LOSSBENCH_UNROLL
  for (int i = 0; i < kItems; ++i) {
    const int column = first + i * kStride + thread_in_row;
    if (column >= classes) continue;
    const float z = to_float(chunk.z[i]);
    float q = 0.0f;
    float w = 1.0f;
    if constexpr (kSoftTargets<Target>) {
      q = softmax_soft_target(p, to_float(chunk.q[i]), column);
    } else {
      w = softmax_smoothing_weight(p, column);
    }
    if (grad_row != nullptr) {
      grad_row[column] = from_float<T>(softmax_element_grad<Target>(row, column, z, q, w) * multiplier);
    }
    if constexpr (kKl) {
      if (loss_row != nullptr) loss_row[column] = from_float<T>(kl_div_element(row.lse, z, q));
    }
  }
}

/// The row's part of an output (null stays null).
template <class T>
__device__ __forceinline__ T* softmax_row_part(T* output, std::int64_t row_offset) {
  return output == nullptr ? nullptr : output + row_offset;
}

/// The row's own outputs, written by one thread: its loss (reduction none)
/// and its entropy.
template <class T, class Target>
__device__ __forceinline__ void write_softmax_row_outputs(const SoftmaxRowsParams<T, Target>& p, std::int64_t row,
                                                          float loss, const SoftmaxRowState& state,
                                                          const LogSumExp& lse) {
  if (p.row_loss != nullptr) p.row_loss[row] = from_float<T>(loss);
  if (p.row_entropy != nullptr) p.row_entropy[row] = from_float<T>(softmax_entropy(state, lse));
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
