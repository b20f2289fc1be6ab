#pragma once
// The fused training step's fixed shape limits, tiling and workspace layout,
// in plain C++ so that the host API (built without CUDA) and the kernel share
// one definition.
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace lossbench::kernels {

inline constexpr int kTrainBlockThreads = 256;
inline constexpr int kTrainWarps = kTrainBlockThreads / 32;
/// Rows staged in shared memory at a time: a pair per two warps.
inline constexpr int kTrainTileRows = kTrainWarps;
inline constexpr int kTrainRowPairs = kTrainTileRows / 2;
/// Inputs per row the kernel takes: a tile of 8 rows × 1024 floats is 32 KiB
/// of shared memory, which leaves room under the 48 KiB a block may use
/// without opting in, and each thread owns at most 4 columns of dW.
inline constexpr int kTrainMaxInputs = 1024;
inline constexpr int kTrainColumnsPerThread = kTrainMaxInputs / kTrainBlockThreads;
/// Outputs (classes) per row: k ≤ 16 keeps the per-thread logits and dW
/// accumulators in registers.
inline constexpr int kTrainMaxOutputs = 16;

/// The number of blocks, hence of per-block partial sums of dW, db and the
/// loss, is a function of n alone, so the result has the same bits on every
/// device and every run. Up to 256 blocks (two waves on a 132-SM H100 at two
/// blocks per SM) and at least kTrainMinRowsPerBlock rows per block, so that
/// writing and summing the partials (256 × d × k floats) stays small next to
/// reading X.
inline constexpr std::int64_t kTrainMaxBlocks = 256;
inline constexpr std::int64_t kTrainMinRowsPerBlock = 64;

struct TrainStepPartition {
  std::int64_t blocks;          // number of partials
  std::int64_t rows_per_block;  // a multiple of kTrainTileRows; the last block may have fewer
};

constexpr TrainStepPartition train_step_partition(std::int64_t n) {
  const std::int64_t wanted = (n + kTrainMinRowsPerBlock - 1) / kTrainMinRowsPerBlock;
  const std::int64_t blocks = std::clamp<std::int64_t>(wanted, 1, kTrainMaxBlocks);
  std::int64_t rows = (n + blocks - 1) / blocks;
  rows = (rows + kTrainTileRows - 1) / kTrainTileRows * kTrainTileRows;
  // Rounding rows up may leave trailing blocks with nothing to do: drop them.
  const std::int64_t used = rows == 0 ? 1 : (n + rows - 1) / rows;
  return {std::max<std::int64_t>(used, 1), std::max<std::int64_t>(rows, kTrainTileRows)};
}

/// Workspace: per block, d·k floats of dW partials then k of db (each
/// block's slice padded to 16 bytes); after all blocks' slices, one double
/// loss partial per block; then the step's η when it comes from a table
/// (one float, in a 16-byte slot).
struct TrainStepWorkspaceLayout {
  std::size_t floats_per_block;
  std::size_t loss_partials_offset;   // bytes
  std::size_t learning_rate_offset;   // bytes
  std::size_t total_bytes;
};

constexpr TrainStepWorkspaceLayout train_step_workspace_layout(std::int64_t n, int d, int k) {
  const std::size_t per_block = (static_cast<std::size_t>(d) * k + k + 3) / 4 * 4;
  const std::size_t blocks = static_cast<std::size_t>(train_step_partition(n).blocks);
  const std::size_t loss_offset = per_block * blocks * sizeof(float);
  const std::size_t rate_offset = loss_offset + blocks * sizeof(double);
  return {per_block, loss_offset, rate_offset, rate_offset + 16};
}

/// Workspace of the evaluation kernel (evaluate.cuh): per block, a double
/// loss partial, then per block a double count of correct rows.
struct EvaluateWorkspaceLayout {
  std::size_t blocks;
  std::size_t total_bytes;
};

constexpr EvaluateWorkspaceLayout evaluate_workspace_layout(std::int64_t n) {
  const auto blocks = static_cast<std::size_t>(train_step_partition(n).blocks);
  return {blocks, 2 * blocks * sizeof(double)};
}

/// The kernel is compiled for a few output counts K and runs k ≤ K with the
/// extra outputs padded with zero weights: 7 variants per loss instead of 16.
constexpr int train_step_output_capacity(int k) {
  for (const int capacity : {1, 2, 4, 8, 10, 12, 16}) {
    if (k <= capacity) return capacity;
  }
  return 0;
}

/// Row strides (in floats) of dZ and of W in shared memory, for capacity K:
/// multiples of 4 so that rows are read as float4s. W's stride is also an odd
/// multiple of 4, so that 8 lanes reading consecutive rows (one quarter-warp
/// wavefront of 16-byte loads) hit 8 distinct groups of 4 banks.
constexpr int train_step_dz_stride(int capacity) { return (capacity + 3) / 4 * 4; }
constexpr int train_step_weight_stride(int capacity) {
  const int stride = train_step_dz_stride(capacity);
  return stride % 8 == 0 ? stride + 4 : stride;
}

/// Dynamic shared memory of the fused kernel (TrainStepShared in
/// train_step.cuh): the tile's dℓ/dz (kTrainTileRows rows), the row pairs'
/// exchanged logits (kTrainRowPairs × 32), the tile of X (kTrainTileRows × d)
/// and W (d rows).
constexpr std::size_t train_step_shared_bytes(int d, int capacity) {
  const std::size_t dz_floats = static_cast<std::size_t>(kTrainTileRows) * train_step_dz_stride(capacity);
  const std::size_t pair_floats = static_cast<std::size_t>(kTrainRowPairs) * 32;
  const std::size_t tile_floats = static_cast<std::size_t>(kTrainTileRows) * d;
  const std::size_t weight_floats = static_cast<std::size_t>(d) * train_step_weight_stride(capacity);
  return (dz_floats + pair_floats + tile_floats + weight_floats) * sizeof(float);
}

}  // namespace lossbench::kernels
