#pragma once
// Softmax cross-entropy or KL divergence + gradient for rows of 33 to 1024
// classes, a warp per row, the row in registers: each logit (and target
// probability) is read once and each gradient element written once, in one
// launch with the deterministic reduction over rows. Semantics (ignored
// rows, invalid labels, smoothing, z-loss, KL, entropy) are those of
// softmax_small_rows.cuh and softmax_rows_common.cuh.
//
// Layout: lane r holds kItems logits of its warp's row, columns r, r + 32,
// ... (softmax_row_chunk.cuh), so every load instruction of a warp reads 32
// consecutive elements. kItems = bit_ceil(V/32) ∈ {2, 4, 8, 16, 32}: at
// least half the slots hold a logit, and the row never leaves registers.
// The row state is each lane's sequential sum, then a butterfly
// (softmax_state_reduce.cuh) after which all lanes hold the same bits; no
// shared memory and no block barrier per row. Why a warp and not a block
// up to 1024: no __syncthreads between a row's two phases, so a warp that
// finished its row starts loading the next at once. The cost is the
// butterfly's ~300 instructions per row and lane, which dominate below
// ~256 classes (docs/PERF.md predicts ~50 % of copy bandwidth at V = 128,
// f32); several rows per warp in groups of lanes, as softmax_small_rows.cuh
// does up to 32 classes, would amortise it.
//
// The target's logit z_t (hard labels) is read from global memory by the
// lane that owns column t and shuffled to the others: one extra load per
// row, and in place it precedes that lane's own write of column t.
//
// Rows per warp at a time: kSoftmaxWarpRowsBatch (4 rows for V ≤ 64, 2 for
// V ≤ 128), all loaded before any is computed, so that ≥ 8 loads per lane
// are in flight. A tile is one pass of the block (8 warps × batch rows).
//
// Bytes per element (T the storage type, 4 or 2 bytes):
//   class indices: read z, write g: 2·sizeof(T), + (sizeof(label) +
//     sizeof(T) for z_t + optional row outputs)/V per row (< 0.4 B at V = 33)
//   probability rows: read z, q, write g: 3·sizeof(T); KL with per-element
//     loss: 4·sizeof(T)
//   loss only (grad null): sizeof(T) (2·sizeof(T) with probabilities).
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/common/element_types.cuh"
#include "kernels/loss/softmax_math.cuh"
#include "kernels/loss/softmax_row_chunk.cuh"
#include "kernels/loss/softmax_rows_common.cuh"
#include "kernels/loss/softmax_rows_tiling.hpp"
#include "kernels/loss/softmax_state_reduce.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// One warp's batch of rows in the tile at `first`: row first + b·warps +
/// warp for b < kBatch. Returns the sum of the counted rows' losses (in lane
/// 0; 0 elsewhere) and adds their number to `count`.
template <int kItems, bool kKl, class T, class Target>
__device__ __forceinline__ float warp_rows_batch(const SoftmaxRowsParams<T, Target>& p, float multiplier,
                                                 std::int64_t first, int warp, int lane, int& count) {
  constexpr int kBatch = kSoftmaxWarpRowsBatch<kItems>;
  constexpr bool kSoft = kSoftTargets<Target>;
  const int classes = static_cast<int>(p.classes);  // ≤ 1024
  SoftmaxRowChunk<kItems, T, Target> chunk[kBatch]{};  // zeroed: g++ cannot tell that rows past the end go unread
  SoftmaxRowLabel label[kBatch];
  float z_target[kBatch];
LOSSBENCH_UNROLL
  for (int b = 0; b < kBatch; ++b) {
    const std::int64_t row = first + std::int64_t{b} * kSoftmaxWarpRowsWarps + warp;
    z_target[b] = 0.0f;
    if (row >= p.rows) continue;  // the same for the whole warp
    const std::int64_t offset = row * p.classes;
    const T* q_row = nullptr;
    if constexpr (kSoft) q_row = p.targets + offset;
    load_softmax_row_chunk<32>(chunk[b], p.logits + offset, q_row, classes, 0, lane);
    if constexpr (kSoft) {
      label[b] = {};
    } else {
      label[b] = softmax_row_label(p, p.targets[row]);
      if (label[b].valid && label[b].t % 32 == lane) z_target[b] = to_float(p.logits[offset + label[b].t]);
    }
  }
  const bool entropy = p.row_entropy != nullptr;
  float sum = 0.0f;
LOSSBENCH_UNROLL
  for (int b = 0; b < kBatch; ++b) {
    const std::int64_t row = first + std::int64_t{b} * kSoftmaxWarpRowsWarps + warp;
    if (row >= p.rows) continue;
    SoftmaxRowState state =
        entropy ? accumulate_softmax_row_chunk<32, true>(p, chunk[b], classes, 0, lane, SoftmaxRowState{})
                : accumulate_softmax_row_chunk<32, false>(p, chunk[b], classes, 0, lane, SoftmaxRowState{});
    state = group_reduce_state<32, kSoft, kKl, true>(state);
    const LogSumExp lse = softmax_lse(state);
    float z_t = 0.0f;
    if constexpr (!kSoft) {
      z_t = __shfl_sync(0xffffffffu, z_target[b], label[b].valid ? static_cast<int>(label[b].t % 32) : 0);
    }
    const float loss = softmax_labelled_row_loss<kKl>(p, state, lse, label[b], z_t);
    if (lane == 0) {
      write_softmax_row_outputs(p, row, loss, state, lse);
      if (!label[b].ignored) {
        sum += loss;
        ++count;
      }
    }
    const std::int64_t offset = row * p.classes;
    write_softmax_row_chunk<32, kKl>(p, chunk[b], softmax_grad_row(p, state, lse, label[b]), multiplier,
                                     softmax_row_part(p.grad, offset),
                                     softmax_row_part(p.element_loss, offset), classes, 0, lane);
  }
  return sum;
}

/// kItems = softmax_warp_rows_items(V) (the launcher checks); kKl iff p.kl
/// (probability rows only). A persistent grid walks the tiles (block b: b,
/// b + grid, ...). Registers: up to 32 logits (and 32 probabilities) per
/// lane; 256 threads per block leave ptxas up to 255 registers.
template <int kItems, bool kKl, class T, class Target>
__global__ void __launch_bounds__(kSoftmaxWarpRowsBlockThreads)
    softmax_warp_rows_kernel(SoftmaxRowsParams<T, Target> p) {
  static_assert(kItems >= 2 && kItems <= kSoftmaxWarpRowsMaxItems && (kItems & (kItems - 1)) == 0);
  static_assert(!kKl || kSoftTargets<Target>, "KL takes probability rows");
  constexpr int kThreads = kSoftmaxWarpRowsBlockThreads;
  constexpr int kTileRows = kSoftmaxWarpRowsTileRows<kItems>;
  LOSSBENCH_SHARED(SoftmaxReductionStorage<kThreads>, temp);
  LOSSBENCH_SHARED(bool, is_last_block);

  const int thread = static_cast<int>(threadIdx.x);
  const bool reduce = p.reduced_loss != nullptr;
  const float multiplier = softmax_grad_multiplier(p);
  const std::int64_t num_tiles = p.rows <= 0 ? 0 : (p.rows + kTileRows - 1) / kTileRows;
  for (std::int64_t tile = blockIdx.x; tile < num_tiles; tile += gridDim.x) {
    int count = 0;
    const float sum = warp_rows_batch<kItems, kKl>(p, multiplier, tile * kTileRows, thread / 32, thread % 32, count);
    if (reduce) write_softmax_tile_partials<kThreads>(p, tile, sum, count, temp, thread);
  }
  if (reduce) finish_softmax_reduction<kThreads>(p, num_tiles, temp, is_last_block, thread);
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
