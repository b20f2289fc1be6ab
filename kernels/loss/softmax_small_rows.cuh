#pragma once
// Softmax cross-entropy + gradient for rows of few classes (V ≤ 32: the ten
// of Fashion-MNIST), in one launch: each logit is read once and each
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
// Hard labels: Target = int32 or int64 class indices; a row whose label is
// ignore_index gets a zero gradient, loss 0 and is not counted; a label
// outside [0, V) that is not ignore_index (the API validates it; the kernel
// must not read out of bounds for it) gives that row a NaN loss and
// gradient, and is counted. Label smoothing ε and z-loss c as in
// softmax_math.cuh. Soft targets: Target = T, a probability row per row,
// every row counted; ε and c do not apply (softmax_math.cuh: a soft target's
// smoothing is (1 − ε)q + ε/V, done by the caller).
//
// Mean: the gradient is multiplied by grad_multiplier, which the caller
// computes (grad_scale / rows not ignored, for mean). The count is a
// function of the labels alone, which the host API reads to validate them
// anyway (range, ignore_index); asking it of the kernel would take a second
// pass over the logits or a gradient rescale (a second read and write of
// N·V), or a host sync on a device count (what PyTorch and Liger do). The
// kernel still returns its own count, so the caller can check the two agree.
//
// Reduction: fixed tiles of kSoftmaxSmallRowsTileRows rows; per tile the
// float sum of the counted rows' losses and the int32 count; the last block
// (an integer ticket) sums the partials in double in an order fixed by the
// tile count alone, as fused_loss.cuh: the same bits for every grid size,
// every schedule, every run; no float atomics.
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
#include "kernels/loss/softmax_small_rows_tiling.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// What the launcher fills for one call. T: logits' (and outputs') storage
/// type; Target: std::int32_t or std::int64_t class indices (hard labels),
/// or T itself (soft targets, a row of V probabilities per row).
template <class T, class Target>
struct SoftmaxSmallRowsParams {
  const T* logits = nullptr;          // rows × classes, row-major; not __restrict__: grad may alias it
  const Target* targets = nullptr;    // rows labels, or rows × classes soft targets
  T* grad = nullptr;                  // rows × classes, or null; may equal logits
  T* row_loss = nullptr;              // ℓ per row (0 for an ignored row), or null
  T* row_entropy = nullptr;           // H(p) per row, or null
  std::int64_t rows = 0;
  int classes = 1;                    // V in [1, kSoftmaxSmallRowsMaxClasses]
  std::int64_t ignore_index = -100;   // hard labels only
  SoftmaxCeParams ce;                 // ε, c: hard labels only
  float grad_multiplier = 1.0f;       // grad_scale, divided by the rows counted for mean
  // Reduction, or all null (no reduced outputs):
  float* tile_loss = nullptr;         // one float per tile
  std::int32_t* tile_count = nullptr; // one count per tile
  unsigned int* blocks_done = nullptr;  // 0 before launch; the last block resets it
  double* reduced_loss = nullptr;     // Σ ℓ over the rows counted
  std::int64_t* counted_rows = nullptr;  // rows not ignored
};

/// softmax_small_rows_tile_count for device code (the tiling header is plain C++).
__host__ __device__ __forceinline__ std::int64_t small_rows_tile_count(std::int64_t rows) {
  return rows <= 0 ? 0 : (rows + kSoftmaxSmallRowsTileRows - 1) / kSoftmaxSmallRowsTileRows;
}

template <class Target>
inline constexpr bool kSoftTargets = !std::is_integral_v<Target>;

/// The group's butterfly: every lane gets op over the group's lanes.
template <int kLanes, class Op>
__device__ __forceinline__ float group_all_reduce(float value, Op op) {
LOSSBENCH_UNROLL
  for (int offset = 1; offset < kLanes; offset *= 2) value = op(value, __shfl_xor_sync(0xffffffffu, value, offset, kLanes));
  return value;
}

/// The row state of the group: every lane's one-logit state rescaled to the
/// group max, then summed by a butterfly. Only the fields the loss reads are
/// exchanged; m is already the same in every lane.
template <int kLanes, bool kSoft, bool kEntropy>
__device__ __forceinline__ SoftmaxRowState group_row_state(float z, float q, bool in_row) {
  const float m = group_all_reduce<kLanes>(in_row ? z : -INFINITY, [](float a, float b) { return fmaxf(a, b); });
  // Sets state.m = m (a NaN logit's state gets NaN sums, a NaN max leaves m NaN).
  SoftmaxRowState state = softmax_rescale(in_row ? softmax_single(z, q) : SoftmaxRowState{}, m);
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
    if constexpr (kEntropy) other.tilt = __shfl_xor_sync(0xffffffffu, state.tilt, offset, kLanes);
    state = softmax_combine(state, other);
  }
  return state;
}

/// One row's loss (in every lane of its group) and its gradient element (lane
/// j's). Returns the loss; `counted` says whether the row enters the mean.
template <int kLanes, bool kEntropy, class T, class Target>
__device__ __forceinline__ float small_row(const SoftmaxSmallRowsParams<T, Target>& p, std::int64_t row, int lane,
                                           bool active, float z, float q, Target label, bool& counted) {
  constexpr bool kSoft = kSoftTargets<Target>;
  const bool in_row = active && lane < p.classes;
  const SoftmaxRowState state = group_row_state<kLanes, kSoft, kEntropy>(z, q, in_row);
  const LogSumExp lse = softmax_lse(state);
  const std::int64_t element = row * p.classes + lane;
  float loss;
  float grad;
  if constexpr (kSoft) {
    counted = active;
    loss = softmax_ce_soft_loss(state, lse);
    grad = softmax_soft_grad(lse, z, q, state.q_sum);
  } else {
    const auto t = static_cast<std::int64_t>(label);
    const bool ignored = t == p.ignore_index;
    const bool valid = t >= 0 && t < p.classes;
    counted = active && !ignored;
    // Every lane takes part in the shuffle; an invalid label reads lane 0.
    const float z_t = __shfl_sync(0xffffffffu, z, valid ? static_cast<int>(t) : 0, kLanes);
    loss = ignored ? 0.0f : valid ? softmax_ce_hard_loss(state, lse, z_t, p.ce) : NAN;
    grad = ignored ? 0.0f
                   : valid ? softmax_ce_hard_grad(lse, z, lane == t, static_cast<float>(p.classes), p.ce) : NAN;
  }
  if (in_row && p.grad != nullptr) p.grad[element] = from_float<T>(grad * p.grad_multiplier);
  if (active && lane == 0) {
    if (p.row_loss != nullptr) p.row_loss[row] = from_float<T>(loss);
    if constexpr (kEntropy) p.row_entropy[row] = from_float<T>(softmax_entropy(state, lse));
  }
  return loss;
}

/// The rows [first, first + kSoftmaxSmallRowsTileRows) ∩ [0, rows): each
/// group takes rows group, group + groups, ... loading a batch of rows (logit,
/// target) before computing any. Returns this thread's sum of counted rows'
/// losses (lane 0 of each group only; 0 elsewhere) and their count.
template <int kLanes, bool kEntropy, class T, class Target>
__device__ __forceinline__ float small_rows_tile(const SoftmaxSmallRowsParams<T, Target>& p, std::int64_t first,
                                                 int thread, int& count) {
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
    Target label[kBatch];
LOSSBENCH_UNROLL
    for (int b = 0; b < kBatch; ++b) {
      const std::int64_t row = step + std::int64_t{b} * kGroups + group;
      const bool in_row = row < end && lane < p.classes;
      const std::int64_t element = row * p.classes + lane;
      z[b] = in_row ? to_float(p.logits[element]) : 0.0f;
      if constexpr (kSoftTargets<Target>) {
        q[b] = in_row ? to_float(p.targets[element]) : 0.0f;
        label[b] = Target{};
      } else {
        q[b] = 0.0f;
        label[b] = row < end ? p.targets[row] : Target{0};
      }
    }
LOSSBENCH_UNROLL
    for (int b = 0; b < kBatch; ++b) {
      const std::int64_t row = step + std::int64_t{b} * kGroups + group;
      bool counted = false;
      const float loss = small_row<kLanes, kEntropy>(p, row, lane, row < end, z[b], q[b], label[b], counted);
      if (counted && lane == 0) {
        sum += loss;
        ++count;
      }
    }
  }
  return sum;
}

// Called by every block after its tiles: the last block to arrive sums all
// tile partials (loss in double, count in int64) in an order fixed by the
// tile count alone.
template <class T, class Target, class TempStorage>
__device__ __forceinline__ void finish_small_rows_reduction(const SoftmaxSmallRowsParams<T, Target>& p,
                                                            std::int64_t num_tiles, TempStorage& temp,
                                                            bool& is_last_block, int thread) {
  constexpr int kThreads = kSoftmaxSmallRowsBlockThreads;
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
    *p.reduced_loss = total;
    *p.counted_rows = total_count;
    *p.blocks_done = 0;  // ready for the next launch without a memset
  }
}

/// Resident blocks per SM asked of ptxas: 3 (768 threads) caps registers at
/// 80. At 4 (64 registers, fused_loss.cuh's choice) ptxas spilled 8 bytes in
/// nine variants (2–8 lanes with the entropy output; sm_90, nvcc 13), which
/// the CUDA build's -warn-spills refuses. To be revisited with a GPU
/// measurement: fewer resident threads means fewer loads in flight.
inline constexpr int kSoftmaxSmallRowsMinBlocksPerSm = 3;

/// kLanes = bit_ceil(classes) (the launcher checks); kEntropy iff row_entropy
/// is set. A persistent grid walks the tiles (block b: b, b + grid, ...).
template <int kLanes, bool kEntropy, class T, class Target>
__global__ void __launch_bounds__(kSoftmaxSmallRowsBlockThreads, kSoftmaxSmallRowsMinBlocksPerSm)
    softmax_small_rows_kernel(SoftmaxSmallRowsParams<T, Target> p) {
  static_assert(kLanes >= 1 && kLanes <= 32 && (kLanes & (kLanes - 1)) == 0);
  constexpr int kThreads = kSoftmaxSmallRowsBlockThreads;
  union SharedStorage {
    typename cub::BlockReduce<float, kThreads>::TempStorage as_float;
    typename cub::BlockReduce<int, kThreads>::TempStorage as_int;
    typename cub::BlockReduce<double, kThreads>::TempStorage as_double;
    typename cub::BlockReduce<long long, kThreads>::TempStorage as_count;
  };
  LOSSBENCH_SHARED(SharedStorage, temp);
  LOSSBENCH_SHARED(bool, is_last_block);

  const int thread = static_cast<int>(threadIdx.x);
  const bool reduce = p.reduced_loss != nullptr;
  const std::int64_t num_tiles = small_rows_tile_count(p.rows);
  for (std::int64_t tile = blockIdx.x; tile < num_tiles; tile += gridDim.x) {
    int count = 0;
    const float sum = small_rows_tile<kLanes, kEntropy>(p, tile * kSoftmaxSmallRowsTileRows, thread, count);
    if (reduce) {
      const float tile_sum = cub::BlockReduce<float, kThreads>(temp.as_float).Sum(sum);
      __syncthreads();  // as_float and as_int share storage
      const int tile_count = cub::BlockReduce<int, kThreads>(temp.as_int).Sum(count);
      if (thread == 0) {
        p.tile_loss[tile] = tile_sum;
        p.tile_count[tile] = tile_count;
      }
      __syncthreads();  // temp is reused by the next tile's reduction
    }
  }
  if (reduce) finish_small_rows_reduction(p, num_tiles, temp, is_last_block, thread);
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
