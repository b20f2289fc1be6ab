#pragma once
// The small-V softmax kernel's fixed tiling and workspace layout, in plain
// C++ so that the host API (built without CUDA) and the kernel share one
// definition (kernels/loss/softmax_small_rows.cuh).
#include <cstddef>
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

/// Workspace: one float loss partial per tile, then one int32 count of rows
/// not ignored per tile (each padded to 16 bytes), then the unsigned
/// blocks-done counter in a 16-byte slot. The counter must be 0 before the
/// first launch; the kernel leaves it 0.
struct SoftmaxSmallRowsWorkspaceLayout {
  std::size_t count_offset;
  std::size_t counter_offset;
  std::size_t total_bytes;
};

constexpr SoftmaxSmallRowsWorkspaceLayout softmax_small_rows_workspace_layout(std::int64_t rows) {
  const auto tiles = static_cast<std::size_t>(softmax_small_rows_tile_count(rows));
  const std::size_t loss_bytes = (tiles * sizeof(float) + 15) / 16 * 16;
  const std::size_t count_bytes = (tiles * sizeof(std::int32_t) + 15) / 16 * 16;
  return {loss_bytes, loss_bytes + count_bytes, loss_bytes + count_bytes + 16};
}

}  // namespace lossbench::kernels
