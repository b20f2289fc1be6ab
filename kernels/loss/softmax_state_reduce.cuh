#pragma once
// A row's SoftmaxRowState from the partial states of the threads that share
// the row: a group of lanes of one warp (softmax_small_rows.cuh, a row per
// group; softmax_warp_rows.cuh, a row per warp) or a whole block
// (softmax_block_rows.cuh). Every thread ends with the same bits of the row
// state, so no broadcast follows and every thread may compute the row's
// loss and gradient from it.
//
// Why max first: the group's max m is reduced alone (a butterfly of fmaxf),
// every partial is rescaled to it (one exponential per thread), and then the
// butterfly over the sums is plain additions (softmax_add_same_max), the
// same in every lane since IEEE addition commutes. Combining (m, sums) pairs
// in the butterfly instead would cost two exponentials per step and lane.
// Only the fields the loss reads are exchanged (kSoft, kKl, kEntropy).
#include "kernels/common/cuda_compat.cuh"
#include "kernels/loss/softmax_math.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// The group's butterfly: every lane gets op over the kLanes lanes of its
/// group (kLanes a power of two ≤ 32; every lane of the warp takes part).
template <int kLanes, class Op>
__device__ __forceinline__ float group_all_reduce(float value, Op op) {
LOSSBENCH_UNROLL
  for (int offset = 1; offset < kLanes; offset *= 2) value = op(value, __shfl_xor_sync(0xffffffffu, value, offset, kLanes));
  return value;
}

/// Copies the fields the loss reads (m, s, count and those of kSoft, kKl,
/// kEntropy) from src to dst: what crosses shared memory, nothing else.
template <bool kSoft, bool kKl, bool kEntropy>
__device__ __forceinline__ void copy_used_state_fields(SoftmaxRowState& dst, const SoftmaxRowState& src) {
  dst.m = src.m;
  dst.s = src.s;
  dst.count = src.count;
  if constexpr (kSoft) {
    dst.q_sum = src.q_sum;
    dst.q_gap = src.q_gap;
  } else {
    dst.gap = src.gap;
  }
  if constexpr (kKl) dst.q_log_q = src.q_log_q;
  if constexpr (kEntropy) dst.tilt = src.tilt;
}

/// The state of the kLanes lanes of each group from each lane's partial:
/// max, rescale, then a butterfly of sums over the used fields.
template <int kLanes, bool kSoft, bool kKl, bool kEntropy>
__device__ __forceinline__ SoftmaxRowState group_reduce_state(SoftmaxRowState state) {
  const float m = group_all_reduce<kLanes>(state.m, [](float a, float b) { return fmaxf(a, b); });
  // Sets state.m = m (a NaN partial gets NaN sums, so the row's s is NaN).
  state = softmax_rescale(state, m);
LOSSBENCH_UNROLL
  for (int offset = 1; offset < kLanes; offset *= 2) {
    SoftmaxRowState other = state;
    other.s = __shfl_xor_sync(0xffffffffu, state.s, offset, kLanes);
    other.count = __shfl_xor_sync(0xffffffffu, state.count, offset, kLanes);
    if constexpr (kSoft) {
      other.q_sum = __shfl_xor_sync(0xffffffffu, state.q_sum, offset, kLanes);
      other.q_gap = __shfl_xor_sync(0xffffffffu, state.q_gap, offset, kLanes);
    } else {
      other.gap = __shfl_xor_sync(0xffffffffu, state.gap, offset, kLanes);
    }
    if constexpr (kKl) other.q_log_q = __shfl_xor_sync(0xffffffffu, state.q_log_q, offset, kLanes);
    if constexpr (kEntropy) other.tilt = __shfl_xor_sync(0xffffffffu, state.tilt, offset, kLanes);
    state = softmax_add_same_max(state, other);
  }
  return state;
}

/// Shared memory of block_reduce_state for kWarps warps: one partial state
/// per warp, and one float a thread may hand to the whole block with it
/// (the hard label's logit), each twice: consecutive rows alternate between
/// the two, so a fast warp writing row r + 1's partial cannot overwrite row
/// r's while a slow warp still reads it (to write row r + 2's, the fast warp
/// must pass row r + 1's barrier, which the slow one reaches only after).
template <int kWarps>
struct BlockStateStorage {
  SoftmaxRowState warp_state[2][kWarps];
  float broadcast[2];
};

/// The row state of all kThreads threads of the block (every thread calls
/// it, with the same parity for the same row): each warp's butterfly, the
/// warps' states through shared memory (one barrier), then every warp
/// reduces the kWarps states in the same butterfly, so that every thread
/// holds the same bits. The barrier also publishes storage.broadcast[parity].
template <int kThreads, bool kSoft, bool kKl, bool kEntropy>
__device__ __forceinline__ SoftmaxRowState block_reduce_state(SoftmaxRowState state,
                                                              BlockStateStorage<kThreads / 32>& storage, int parity,
                                                              int thread) {
  constexpr int kWarps = kThreads / 32;
  static_assert(kThreads % 32 == 0 && kWarps >= 2 && kWarps <= 32 && (kWarps & (kWarps - 1)) == 0);
  state = group_reduce_state<32, kSoft, kKl, kEntropy>(state);
  const int lane = thread % 32;
  if (lane == 0) copy_used_state_fields<kSoft, kKl, kEntropy>(storage.warp_state[parity][thread / 32], state);
  __syncthreads();
  SoftmaxRowState warps;
  copy_used_state_fields<kSoft, kKl, kEntropy>(warps, storage.warp_state[parity][lane % kWarps]);
  return group_reduce_state<kWarps, kSoft, kKl, kEntropy>(warps);
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
