#pragma once
// The fixed shapes of the softmax kernels for rows of more than 32 classes
// (softmax_warp_rows.cuh, softmax_block_rows.cuh), in plain C++ so that the
// host API (built without CUDA), the launcher and the kernels share one
// definition. softmax_loss_tiling.hpp picks among them by V.
//
// Both kernels give a thread kItems logits of a row per chunk: item i of
// thread r is column i·G + r of the chunk (G the threads per row: 32, or
// the block's 64 ... 512), so that
// each item's load is one contiguous run across the row's threads. Rows per
// tile are fixed per kernel and kItems, so that the reduction's bits depend
// on V alone, never on the grid.
#include <bit>
#include <cstdint>

namespace lossbench::kernels {

// ---- a warp per row: 32 < V ≤ 1024, the row in registers

inline constexpr int kSoftmaxWarpRowsBlockThreads = 256;
inline constexpr int kSoftmaxWarpRowsWarps = kSoftmaxWarpRowsBlockThreads / 32;
inline constexpr int kSoftmaxWarpRowsMaxItems = 32;
inline constexpr std::int64_t kSoftmaxWarpRowsMaxClasses = 32 * kSoftmaxWarpRowsMaxItems;

/// Rows a warp loads before it computes any: at least 8 logits per lane in
/// flight (a warp with 2 logits per lane would otherwise wait out one
/// memory latency per 64 logits).
constexpr int softmax_warp_rows_batch(int items) { return items >= 8 ? 1 : 8 / items; }
template <int kItems>
inline constexpr int kSoftmaxWarpRowsBatch = softmax_warp_rows_batch(kItems);

/// One tile = one pass of the block: every warp takes a batch of rows. Small
/// tiles keep a moderate batch (N = 4096 rows of V = 1024) spread over every
/// SM; the per-tile block reduction costs little against ≥ 8 rows of ≥ 33.
constexpr int softmax_warp_rows_tile_rows(int items) { return kSoftmaxWarpRowsWarps * softmax_warp_rows_batch(items); }
template <int kItems>
inline constexpr int kSoftmaxWarpRowsTileRows = softmax_warp_rows_tile_rows(kItems);

/// Logits per lane for V in (32, 1024]: the least power of two ≥ V/32
/// (2 ... 32), so that at least half the lanes' slots hold a logit.
constexpr int softmax_warp_rows_items(std::int64_t classes) {
  return static_cast<int>(std::bit_ceil(static_cast<std::uint64_t>((classes + 31) / 32)));
}

// ---- a block per row: V > 1024, the row in registers, then shared memory, then two passes

/// Logits per thread: always 32, the block's threads follow V instead
/// (64 ... 512), so that the per-row work every thread does whatever its
/// share (two butterflies, a barrier, the row's loss) is spread over ≥ 16
/// logits: with 512 threads for every V, a row of 2048 would give each
/// thread 4 logits and a per-row cost several times their own.
inline constexpr int kSoftmaxBlockRowsItems = 32;
inline constexpr int kSoftmaxBlockRowsMinThreads = 64;
inline constexpr int kSoftmaxBlockRowsMaxThreads = 512;
/// A chunk of the longest rows: 512 threads × 32 logits = 16384 (64 KiB of
/// f32), what a block holds in registers. Longer rows are walked a chunk at
/// a time; the last chunk stays in registers, earlier ones are staged in
/// dynamic shared memory as far as the device allows, the rest re-read.
inline constexpr std::int64_t kSoftmaxBlockRowsChunk =
    std::int64_t{kSoftmaxBlockRowsMaxThreads} * kSoftmaxBlockRowsItems;

/// Threads per row for V > 1024: the least power of two ≥ V/32, from 64
/// (V ≤ 2048) to 512 (V > 8192, in chunks beyond 16384).
constexpr int softmax_block_rows_threads(std::int64_t classes) {
  const auto threads = std::bit_ceil(static_cast<std::uint64_t>((classes + kSoftmaxBlockRowsItems - 1) /
                                                                kSoftmaxBlockRowsItems));
  return threads < kSoftmaxBlockRowsMinThreads   ? kSoftmaxBlockRowsMinThreads
         : threads > kSoftmaxBlockRowsMaxThreads ? kSoftmaxBlockRowsMaxThreads
                                                 : static_cast<int>(threads);
}

/// Rows per tile: 16384 logit slots (8 rows of ≤ 2048 ... one row of more
/// than 8192), so that the per-tile block reduction is a small fraction of
/// a tile's work while the tiles stay many enough to fill the device.
constexpr int softmax_block_rows_tile_rows(int threads) { return kSoftmaxBlockRowsMaxThreads / threads; }
template <int kThreads>
inline constexpr int kSoftmaxBlockRowsTileRows = softmax_block_rows_tile_rows(kThreads);

constexpr std::int64_t softmax_block_rows_chunks(std::int64_t classes) {
  return (classes + kSoftmaxBlockRowsChunk - 1) / kSoftmaxBlockRowsChunk;
}

}  // namespace lossbench::kernels
