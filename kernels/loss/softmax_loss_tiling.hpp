#pragma once
// The softmax kernels' workspace, in plain C++ so that the host API (built
// without CUDA) and the launcher share one definition: which kernel a row
// length gets, how many rows a tile of the reduction holds, and where the
// partials and counters lie.
#include <bit>
#include <cstddef>
#include <cstdint>

#include "kernels/loss/softmax_rows_tiling.hpp"
#include "kernels/loss/softmax_small_rows_tiling.hpp"

namespace lossbench::kernels {

/// The kernel for rows of V classes: several rows per warp (V ≤ 32), a warp
/// per row (V ≤ 1024), a block per row (longer); the logits each thread
/// holds (per chunk) and the threads that share a row.
enum class SoftmaxRowsKernel { small_rows, warp_rows, block_rows };
struct SoftmaxKernelChoice {
  SoftmaxRowsKernel kernel;
  int items;
  int row_threads;
};

constexpr SoftmaxKernelChoice softmax_kernel_for(std::int64_t classes) {
  if (classes <= kSoftmaxSmallRowsMaxClasses) {
    return {SoftmaxRowsKernel::small_rows, 1, static_cast<int>(std::bit_ceil(static_cast<std::uint64_t>(classes < 1 ? 1 : classes)))};
  }
  if (classes <= kSoftmaxWarpRowsMaxClasses) return {SoftmaxRowsKernel::warp_rows, softmax_warp_rows_items(classes), 32};
  return {SoftmaxRowsKernel::block_rows, kSoftmaxBlockRowsItems, softmax_block_rows_threads(classes)};
}

/// Rows per reduction tile for rows of `classes` (the kernel that V gets).
constexpr std::int64_t softmax_tile_rows(std::int64_t classes) {
  const SoftmaxKernelChoice choice = softmax_kernel_for(classes);
  switch (choice.kernel) {
    case SoftmaxRowsKernel::small_rows: return kSoftmaxSmallRowsTileRows;
    case SoftmaxRowsKernel::warp_rows: return softmax_warp_rows_tile_rows(choice.items);
    case SoftmaxRowsKernel::block_rows: break;
  }
  return softmax_block_rows_tile_rows(choice.row_threads);
}

constexpr std::int64_t softmax_tile_count(std::int64_t rows, std::int64_t classes) {
  const std::int64_t tile = softmax_tile_rows(classes);
  return rows <= 0 ? 0 : (rows + tile - 1) / tile;
}

/// Rows per tile of the class-weight pre-pass (softmax_count_rows.cuh):
/// 256 threads × 16 rows.
inline constexpr std::int64_t kSoftmaxWeightTileRows = 4096;

constexpr std::int64_t softmax_weight_tile_count(std::int64_t rows) {
  return rows <= 0 ? 0 : (rows + kSoftmaxWeightTileRows - 1) / kSoftmaxWeightTileRows;
}

/// Workspace: one float loss partial per tile, then one int32 count of rows
/// per tile (each array padded to 16 bytes), then 16-byte slots for the
/// unsigned blocks-done counter, the int64 count of rows not ignored (the
/// mean's divisor), a double the reduction writes when the caller wants
/// only the count, the class-weight pre-pass's unsigned blocks-done counter
/// and its double Σ w_t (the weighted mean's divisor), then one double per
/// pre-pass tile. Both blocks-done counters and the count must be 0 before
/// the first launch; each call leaves them 0.
struct SoftmaxWorkspaceLayout {
  std::size_t count_offset;
  std::size_t counter_offset;
  std::size_t grad_count_offset;
  std::size_t scratch_loss_offset;
  std::size_t weight_counter_offset;
  std::size_t weight_sum_offset;
  std::size_t weight_tiles_offset;
  std::size_t total_bytes;
};

/// The layout for a call of `rows` rows of `classes` classes (every call
/// gets the pre-pass's slots: rows/512 bytes, whether it has weights or not).
constexpr SoftmaxWorkspaceLayout softmax_workspace_layout(std::int64_t rows, std::int64_t classes) {
  const std::int64_t num_tiles = softmax_tile_count(rows, classes);
  const auto tiles = static_cast<std::size_t>(num_tiles < 0 ? 0 : num_tiles);
  const auto weight_tiles = static_cast<std::size_t>(softmax_weight_tile_count(rows));
  const std::size_t loss_bytes = (tiles * sizeof(float) + 15) / 16 * 16;
  const std::size_t count_bytes = (tiles * sizeof(std::int32_t) + 15) / 16 * 16;
  const std::size_t counter = loss_bytes + count_bytes;
  return {loss_bytes,   counter,      counter + 16, counter + 32, counter + 48,
          counter + 64, counter + 80, counter + 80 + weight_tiles * sizeof(double)};
}

}  // namespace lossbench::kernels
