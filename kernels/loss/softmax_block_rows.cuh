#pragma once
// Softmax cross-entropy or KL divergence + gradient for rows of more than
// 1024 classes (LLM vocabularies: 32k–256k), a block per row, in one launch
// with the deterministic reduction over rows. Semantics are those of
// softmax_small_rows.cuh and softmax_rows_common.cuh.
//
// Every thread holds 32 logits of the row (softmax_row_chunk.cuh); the
// block has kThreads = bit_ceil(V/32) ∈ {64, ..., 512} threads
// (softmax_rows_tiling.hpp says why 32 per thread and not a fixed block).
// Where the row lives between its two phases (state, then gradient):
//   V ≤ 16384: in registers. One read, one write per element.
//   V > 16384 (kChunked, 512 threads): the row is walked in chunks of
//     16384. The last chunk stays in registers; the chunks before it
//     are staged in dynamic shared memory, as many as the device lets a
//     block have (227 KiB on H100/H200: 3 chunks of f32 or 7 of bf16, so
//     f32 rows up to 65536 and bf16 rows up to 131072, Llama 3's 128256
//     included, are read once); the rest are read again from global memory
//     in the second pass, newest first, since those are the likeliest to
//     still be in L2. staged_chunks (a kernel argument, from the launcher)
//     says how many chunks are staged: the bits of every output are the
//     same for every value of it, since the first pass is the same.
// Why not clusters (distributed shared memory across the SMs of a
// cluster, as QuACK does): they would keep rows beyond one SM's shared
// memory on chip, but this build also targets sm_75–sm_89 and the emulator;
// the re-read costs sizeof(T) per element of the re-read chunks only, and
// only for rows longer than an SM holds (f32 beyond 65536 on H100/H200).
//
// The row's state: each thread's sum over its items (a chunk at a time),
// then block_reduce_state (softmax_state_reduce.cuh): a warp butterfly, the
// 2–16 warps' states through shared memory, one barrier, and the same
// butterfly over them in every warp, so that every thread holds the same
// bits. The target's logit z_t (hard labels) is read by the thread that owns
// column t and handed over with the warps' states (same barrier); in place,
// that thread reads it before writing column t. A staged chunk is read back
// only by the thread that staged it, so staging needs no barrier.
//
// Tiles: 512/kThreads rows (one row beyond 8192 classes), processed one
// after another by the block; per-row outputs are written by thread 0.
//
// Bytes per element (T the storage type; f32 / bf16), the DRAM traffic if
// nothing re-read hits L2 (docs/PERF.md predicts the time):
//   class indices, row on chip: read z, write g = 2·sizeof(T) (8 / 4 B)
//   class indices, two passes: + sizeof(T) per re-read element (12 / 6 B
//     with nothing staged; f32 V = 131072 on H200, 3 of 8 chunks staged and
//     4 re-read: 10 B)
//   probability rows: + sizeof(T) for q on chip (12 / 6 B), + 2·sizeof(T)
//     per re-read element (20 / 10 B with nothing staged); KL's
//     per-element loss + sizeof(T)
//   loss only (grad null): one read (4 / 2 B, twice that with q)
//   per row: the label, z_t, the optional row outputs: nothing at this V.
#include <cstddef>
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

/// Items per thread that the second pass re-reads at a time from shared or
/// global memory: enough loads in flight, few enough registers next to the
/// chunk still held (32 logits, and 32 probabilities for probability rows).
template <class Target>
inline constexpr int kSoftmaxBlockRowsRereadItems = kSoftTargets<Target> ? 8 : 16;

/// The staged copy of a row's first chunks in dynamic shared memory: the
/// logits, then the probabilities, each indexed by column.
template <class T>
struct SoftmaxRowStage {
  T* z = nullptr;
  T* q = nullptr;
  int chunks = 0;
};

/// Bytes of dynamic shared memory for `chunks` staged chunks of rows of T
/// (and probability rows of T): what the launcher asks for.
template <class T, class Target>
constexpr std::size_t softmax_block_rows_stage_bytes(std::int64_t chunks) {
  return static_cast<std::size_t>(chunks) * kSoftmaxBlockRowsChunk * sizeof(T) * (kSoftTargets<Target> ? 2 : 1);
}

/// One row, by every thread of the block. Returns the row's loss (the same
/// in every thread); `counted` says whether it enters the reduction.
template <int kThreads, bool kKl, class T, class Target>
__device__ __forceinline__ float block_row(const SoftmaxRowsParams<T, Target>& p, float multiplier, std::int64_t row,
                                           int thread, BlockStateStorage<kThreads / 32>& states, int parity,
                                           const SoftmaxRowStage<T>& stage, bool& counted) {
  constexpr int kItems = kSoftmaxBlockRowsItems;
  constexpr bool kChunked = kThreads == kSoftmaxBlockRowsMaxThreads;
  constexpr bool kSoft = kSoftTargets<Target>;
  const int classes = static_cast<int>(p.classes);  // < 2^31, as the launcher checks
  const std::int64_t offset = row * p.classes;
  const T* z_row = p.logits + offset;
  const T* q_row = nullptr;
  if constexpr (kSoft) q_row = p.targets + offset;
  SoftmaxRowLabel label;
  if constexpr (!kSoft) {
    label = softmax_row_label(p, p.targets[row]);
    if (label.valid && label.t % kThreads == thread) states.broadcast[parity] = to_float(z_row[label.t]);
  }

  // First pass: the state; the chunk in registers at the end starts at `last`.
  const bool entropy = p.row_entropy != nullptr;
  SoftmaxRowChunk<kItems, T, Target> chunk;
  SoftmaxRowState state;
  int last = 0;
  // softmax_block_rows_chunks(V), which device code cannot call (plain C++).
  const int chunks = kChunked ? static_cast<int>((p.classes + kSoftmaxBlockRowsChunk - 1) / kSoftmaxBlockRowsChunk) : 1;
  for (int c = 0; c < chunks; ++c) {
    last = c * static_cast<int>(kSoftmaxBlockRowsChunk);
    load_softmax_row_chunk<kThreads>(chunk, z_row, q_row, classes, last, thread);
    if (kChunked && c < stage.chunks) stage_softmax_row_chunk<kThreads>(chunk, stage.z, stage.q, classes, last, thread);
    state = entropy ? accumulate_softmax_row_chunk<kThreads, true>(p, chunk, classes, last, thread, state)
                    : accumulate_softmax_row_chunk<kThreads, false>(p, chunk, classes, last, thread, state);
  }
  state = block_reduce_state<kThreads, kSoft, kKl, true>(state, states, parity, thread);
  const LogSumExp lse = softmax_lse(state);
  const float z_t = !kSoft && label.valid ? states.broadcast[parity] : 0.0f;
  const float loss = softmax_labelled_row_loss<kKl>(p, state, lse, label, z_t);
  counted = !label.ignored;
  if (thread == 0) write_softmax_row_outputs(p, row, loss, state, lse);

  // Second pass: the chunk in registers, then the earlier ones, newest first.
  if (p.grad == nullptr && !(kKl && p.element_loss != nullptr)) return loss;
  T* const grad_row = softmax_row_part(p.grad, offset);
  T* const loss_row = softmax_row_part(p.element_loss, offset);
  const SoftmaxGradRow grad = softmax_grad_row(p, state, lse, label);
  write_softmax_row_chunk<kThreads, kKl>(p, chunk, grad, multiplier, grad_row, loss_row, classes, last, thread);
  if constexpr (kChunked) {
    constexpr int kReread = kSoftmaxBlockRowsRereadItems<Target>;
    for (int c = chunks - 2; c >= 0; --c) {
      const bool staged = c < stage.chunks;
      for (int i = 0; i < kItems; i += kReread) {
        const int first = c * static_cast<int>(kSoftmaxBlockRowsChunk) + i * kThreads;
        SoftmaxRowChunk<kReread, T, Target> part;
        load_softmax_row_chunk<kThreads>(part, staged ? stage.z : z_row, staged ? stage.q : q_row, classes, first,
                                         thread);
        write_softmax_row_chunk<kThreads, kKl>(p, part, grad, multiplier, grad_row, loss_row, classes, first,
                                               thread);
      }
    }
  }
  return loss;
}

/// Resident blocks per SM asked of ptxas: at least 512 threads' worth, so
/// up to 128 registers a thread: 32 logits (and 32 probabilities), the
/// re-read batch of the chunked variant and the row's state take 60–128 on
/// sm_90 (nvcc 13), without spills. Fewer registers would cap the logits a
/// thread holds; the staged variant is bound to one block per SM by its
/// shared memory anyway.
template <int kThreads>
inline constexpr int kSoftmaxBlockRowsMinBlocksPerSm = kSoftmaxBlockRowsMaxThreads / kThreads;

/// kThreads = softmax_block_rows_threads(V) (the launcher checks); 512 is
/// the chunked variant, the only one that takes V > 16384; kKl iff p.kl.
/// staged_chunks: chunks of each row staged in the dynamic shared memory the
/// launch provides (softmax_block_rows_stage_bytes), 0 below 512 threads. A
/// persistent grid walks the tiles (block b: b, b + grid, ...).
template <int kThreads, bool kKl, class T, class Target>
__global__ void __launch_bounds__(kThreads, kSoftmaxBlockRowsMinBlocksPerSm<kThreads>)
    softmax_block_rows_kernel(SoftmaxRowsParams<T, Target> p, int staged_chunks) {
  static_assert(kThreads >= kSoftmaxBlockRowsMinThreads && kThreads <= kSoftmaxBlockRowsMaxThreads &&
                (kThreads & (kThreads - 1)) == 0);
  static_assert(!kKl || kSoftTargets<Target>, "KL takes probability rows");
  constexpr bool kChunked = kThreads == kSoftmaxBlockRowsMaxThreads;
  constexpr int kTileRows = kSoftmaxBlockRowsTileRows<kThreads>;
  LOSSBENCH_SHARED(SoftmaxReductionStorage<kThreads>, temp);
  LOSSBENCH_SHARED(BlockStateStorage<kThreads / 32>, states);
  LOSSBENCH_SHARED(bool, is_last_block);
  LOSSBENCH_DYNAMIC_SHARED(float, stage_words);  // float: one type for every T (extern __shared__)

  SoftmaxRowStage<T> stage;
  if constexpr (kChunked) {
    stage.chunks = staged_chunks;
    stage.z = reinterpret_cast<T*>(stage_words);
    stage.q = stage.z + stage.chunks * kSoftmaxBlockRowsChunk;
  }
  const int thread = static_cast<int>(threadIdx.x);
  const bool reduce = p.reduced_loss != nullptr;
  const float multiplier = softmax_grad_multiplier(p);
  const std::int64_t num_tiles = p.rows <= 0 ? 0 : (p.rows + kTileRows - 1) / kTileRows;
  int parity = 0;
  for (std::int64_t tile = blockIdx.x; tile < num_tiles; tile += gridDim.x) {
    float sum = 0.0f;
    int count = 0;
    for (std::int64_t row = tile * kTileRows; row < (tile + 1) * kTileRows && row < p.rows; ++row) {
      bool counted = false;
      const float loss =
          block_row<kThreads, kKl>(p, multiplier, row, thread, states, parity, stage, counted);
      parity ^= 1;
      if (thread == 0 && counted) {
        sum += loss;
        ++count;
      }
    }
    if (reduce) write_softmax_tile_partials<kThreads>(p, tile, sum, count, temp, thread);
  }
  if (reduce) finish_softmax_reduction<kThreads>(p, num_tiles, temp, is_last_block, thread);
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
