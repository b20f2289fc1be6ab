#pragma once
// The small-V softmax kernel's fixed tiling and workspace layout, in plain
// C++ so that the host API (built without CUDA) and the kernel share one
// definition (kernels/loss/softmax_small_rows.cuh).
#include <cstdint>

namespace lossbench::kernels {

/// The most classes the small-rows kernel takes: a row fits one warp's lanes.
inline constexpr int kSoftmaxSmallRowsMaxClasses = 32;
inline constexpr int kSoftmaxSmallRowsBlockThreads = 256;
/// Rows a group of lanes loads before it computes any (loads in flight).
inline constexpr int kSoftmaxSmallRowsBatch = 4;
/// Rows per tile, fixed so that the partial sums, and hence the reduced
/// loss's bits, depend on neither the grid size nor the lanes per row:
/// 1024 = 256 one-lane groups × a batch of 4, so every group takes whole
/// batches for every lanes-per-row choice (1 ... 32).
inline constexpr int kSoftmaxSmallRowsTileRows = 1024;
static_assert(kSoftmaxSmallRowsTileRows % (kSoftmaxSmallRowsBlockThreads * kSoftmaxSmallRowsBatch) == 0);

constexpr std::int64_t softmax_small_rows_tile_count(std::int64_t rows) {
  return rows <= 0 ? 0 : (rows + kSoftmaxSmallRowsTileRows - 1) / kSoftmaxSmallRowsTileRows;
}

}  // namespace lossbench::kernels
