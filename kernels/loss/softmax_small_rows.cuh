#pragma once
// Softmax cross-entropy or KL divergence + gradient for rows of few classes
// (V ≤ 32: the ten of Fashion-MNIST), in one launch: each logit is read once and each
// gradient written once, the per-row loss and entropy are optional extra
// outputs, and the loss is reduced over rows deterministically in the same
// launch. The math is softmax_math.cuh's, in float32, from f32/f16/bf16.
//
// Layout: a row per group of kLanes = bit_ceil(V) lanes of a warp, one logit
// per lane (a warp holds 32/kLanes rows; kLanes = 1, a row per thread, for
// V = 1). Why a group of lanes rather than a row per thread: a warp's rows are
// contiguous in memory, so lane j of group g reading element (row_g, j) makes
// every load instruction touch one contiguous run of V·32/kLanes elements,
// coalesced for every V, with no shared-memory staging and one register per
// logit. A row per thread would read a stride-V pattern per instruction and
// lean on L1 to catch the rest of each line, and hold V logits per thread.
// The cost of groups is idle lanes, V/kLanes ≥ 53% busy (10/16 for
// Fashion-MNIST), which costs issue slots, not bytes. The row's reduction is
// a butterfly of __shfl_xor_sync over the group (log2 kLanes steps): first
// the max, then each lane's one-logit state rescaled to that max
// (softmax_rescale: one exp per logit), so that the state butterfly's
// combines have equal maxima and are plain adds. Every lane ends with the
// same bits of the row state (IEEE addition commutes), so no broadcast.
//
// Hard labels: Target = ClassIndices (int32 or int64, read as int64; the
// width is a run-time choice, class_indices.cuh says why); a row whose label is
// ignore_index gets a zero gradient, loss 0 and is not counted; a label
// outside [0, V) that is not ignore_index (the API validates it; the kernel
// must not read out of bounds for it) gives that row a NaN loss and
// gradient, and is counted. Label smoothing ε and z-loss c as in
// softmax_math.cuh. Soft targets: Target = T, a probability row per row,
// every row counted, smoothed as read (softmax_soft_target); the loss is
// cross-entropy or, with kKl, KL(q ‖ p) (per element for reduction none).
// The parameters, the gradient's multiplier (grad_scale ÷ the mean's
// divisor, counted on the device for class indices) and the reduction over
// fixed tiles of rows are softmax_rows_common.cuh's.
//
// Bytes per element (T = storage type, 4 or 2 bytes; V classes):
//   hard labels: read z, write g = 2·sizeof(T), + sizeof(label)/V for the
//     label (int32: 0.4 B at V = 10), + sizeof(T)/V per optional row output
//   soft targets: read z, q; write g = 3·sizeof(T), + row outputs as above
//   plus 8 bytes per 1024 rows of tile partials (negligible).
// In place (grad == logits) is allowed: a lane writes only the element it
// read, after reading it.
#include <cstdint>
#include <type_traits>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/common/element_types.cuh"
#include "kernels/loss/softmax_math.cuh"
#include "kernels/loss/softmax_rows_common.cuh"
#include "kernels/loss/softmax_state_reduce.cuh"
#include "kernels/loss/softmax_small_rows_tiling.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// softmax_small_rows_tile_count for device code (the tiling header is plain C++).
__host__ __device__ __forceinline__ std::int64_t small_rows_tile_count(std::int64_t rows) {
  return rows <= 0 ? 0 : (rows + kSoftmaxSmallRowsTileRows - 1) / kSoftmaxSmallRowsTileRows;
}

/// The row state of the group from each lane's one logit (softmax_state_reduce.cuh).
template <int kLanes, bool kSoft, bool kKl, bool kEntropy>
__device__ __forceinline__ SoftmaxRowState group_row_state(float z, float q, bool in_row, float w = 1.0f) {
  return group_reduce_state<kLanes, kSoft, kKl, kEntropy>(in_row ? softmax_single(z, q, w) : SoftmaxRowState{});
}

/// One row's loss (in every lane of its group) and its gradient element (lane
/// j's), scaled by `multiplier`. Returns the loss; `counted` says whether the
/// row enters the reduction. `label`: the row's class index (hard labels).
template <int kLanes, bool kKl, class T, class Target>
__device__ __forceinline__ float small_row(const SoftmaxRowsParams<T, Target>& p, float multiplier, std::int64_t row,
                                           int lane, bool active, float z, float q, std::int64_t label,
                                           bool& counted) {
  constexpr bool kSoft = kSoftTargets<Target>;
  const bool in_row = active && lane < p.classes;
  // The entropy's tilt crosses the butterfly only if the entropy is written:
  // the same for the whole launch, so one of the two inlined butterflies
  // runs, as in the warp- and block-row kernels (a kernel variant fewer).
  const bool entropy = p.row_entropy != nullptr;
  // Lane j's class weight where a weighted, smoothed hard-label row counts it.
  const float w = !kSoft && in_row ? softmax_smoothing_weight(p, lane) : 1.0f;
  const SoftmaxRowState state = entropy ? group_row_state<kLanes, kSoft, kKl, true>(z, q, in_row, w)
                                        : group_row_state<kLanes, kSoft, kKl, false>(z, q, in_row, w);
  const LogSumExp lse = softmax_lse(state);
  const std::int64_t element = row * p.classes + lane;
  const SoftmaxRowLabel row_label = softmax_row_label(p, label);
  counted = active && !row_label.ignored;
  float z_t = 0.0f;
  if constexpr (!kSoft) {
    // Every lane takes part in the shuffle; an invalid label reads lane 0.
    z_t = __shfl_sync(0xffffffffu, z, row_label.valid ? static_cast<int>(row_label.t) : 0, kLanes);
  }
  const float loss = softmax_labelled_row_loss<kKl>(p, state, lse, row_label, z_t);
  const float grad = softmax_element_grad<Target>(softmax_grad_row(p, state, lse, row_label), lane, z, q, w);
  if constexpr (kKl) {
    if (in_row && p.element_loss != nullptr) p.element_loss[element] = from_float<T>(kl_div_element(lse, z, q));
  }
  if (in_row && p.grad != nullptr) p.grad[element] = from_float<T>(grad * multiplier);
  if (active && lane == 0) {
    if (p.row_loss != nullptr) p.row_loss[row] = from_float<T>(loss);
    if (entropy) p.row_entropy[row] = from_float<T>(softmax_entropy(state, lse));
  }
  return loss;
}

/// The rows [first, first + kSoftmaxSmallRowsTileRows) ∩ [0, rows): each
/// group takes rows group, group + groups, ... loading a batch of rows (logit,
/// target) before computing any. Returns this thread's sum of counted rows'
/// losses (lane 0 of each group only; 0 elsewhere) and their count.
template <int kLanes, bool kKl, class T, class Target>
__device__ __forceinline__ float small_rows_tile(const SoftmaxRowsParams<T, Target>& p, float multiplier,
                                                 std::int64_t first, int thread, int& count) {
  constexpr int kGroups = kSoftmaxSmallRowsBlockThreads / kLanes;
  constexpr int kBatch = kSoftmaxSmallRowsBatch;
  const int lane = thread % kLanes;
  const int group = thread / kLanes;
  const std::int64_t end = p.rows - first < kSoftmaxSmallRowsTileRows ? p.rows : first + kSoftmaxSmallRowsTileRows;
  float sum = 0.0f;
  count = 0;
  // The loop bounds are the block's, never the group's, so that all 32 lanes
  // of a warp reach every shuffle.
  for (std::int64_t step = first; step < end; step += std::int64_t{kGroups} * kBatch) {
    float z[kBatch];
    float q[kBatch];
    std::int64_t label[kBatch];
LOSSBENCH_UNROLL
    for (int b = 0; b < kBatch; ++b) {
      const std::int64_t row = step + std::int64_t{b} * kGroups + group;
      const bool in_row = row < end && lane < p.classes;
      const std::int64_t element = row * p.classes + lane;
      z[b] = in_row ? to_float(p.logits[element]) : 0.0f;
      if constexpr (kSoftTargets<Target>) {
        q[b] = in_row ? softmax_soft_target(p, to_float(p.targets[element]), lane) : 0.0f;
        label[b] = 0;
      } else {
        q[b] = 0.0f;
        label[b] = row < end ? p.targets[row] : 0;
      }
    }
LOSSBENCH_UNROLL
    for (int b = 0; b < kBatch; ++b) {
      const std::int64_t row = step + std::int64_t{b} * kGroups + group;
      bool counted = false;
      const float loss =
          small_row<kLanes, kKl>(p, multiplier, row, lane, row < end, z[b], q[b], label[b], counted);
      if (counted && lane == 0) {
        sum += loss;
        ++count;
      }
    }
  }
  return sum;
}

/// Resident blocks per SM asked of ptxas: 3 (768 threads) caps registers at
/// 80. At 4 (64 registers, fused_loss.cuh's choice) ptxas spilled 8 bytes in
/// nine variants (2–8 lanes with the entropy output; sm_90, nvcc 13), which
/// the CUDA build's -warn-spills refuses. To be revisited with a GPU
/// measurement: fewer resident threads means fewer loads in flight.
inline constexpr int kSoftmaxSmallRowsMinBlocksPerSm = 3;

/// kLanes = bit_ceil(classes) (the launcher checks); kKl iff p.kl (probability
/// rows only). The entropy output (row_entropy set or null) is chosen at run
/// time (group_row_state). A persistent grid walks the tiles (block b: b,
/// b + grid, ...).
template <int kLanes, bool kKl, class T, class Target>
__global__ void __launch_bounds__(kSoftmaxSmallRowsBlockThreads, kSoftmaxSmallRowsMinBlocksPerSm)
    softmax_small_rows_kernel(SoftmaxRowsParams<T, Target> p) {
  static_assert(kLanes >= 1 && kLanes <= 32 && (kLanes & (kLanes - 1)) == 0);
  static_assert(!kKl || kSoftTargets<Target>, "KL takes probability rows");
  constexpr int kThreads = kSoftmaxSmallRowsBlockThreads;
  LOSSBENCH_SHARED(SoftmaxReductionStorage<kThreads>, temp);
  LOSSBENCH_SHARED(bool, is_last_block);

  const int thread = static_cast<int>(threadIdx.x);
  const bool reduce = p.reduced_loss != nullptr;
  const float multiplier = softmax_grad_multiplier(p);
  const std::int64_t num_tiles = small_rows_tile_count(p.rows);
  for (std::int64_t tile = blockIdx.x; tile < num_tiles; tile += gridDim.x) {
    int count = 0;
    const float sum =
        small_rows_tile<kLanes, kKl>(p, multiplier, tile * kSoftmaxSmallRowsTileRows, thread, count);
    if (reduce) write_softmax_tile_partials<kThreads>(p, tile, sum, count, temp, thread);
  }
  if (reduce) finish_softmax_reduction<kThreads>(p, num_tiles, temp, is_last_block, thread);
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
