#pragma once
// How the cpu backend cuts a training step (train_step_cpu.cpp) and an
// evaluation (evaluate_cpu.cpp) into work, and where it keeps their partial
// sums: constants and workspace layouts that depend on the shape alone, not
// on the SIMD target or the thread count, so that every thread count gives
// the same bits. train_step_bounds.cpp states the step's float sums from
// these constants. Internal.
#include <cstddef>
#include <cstdint>

namespace lossbench::detail {

/// Rows per tile. A tile's dW and db are float sums over its rows, so no
/// float sum of a gradient has more than 16 terms (the bound's row_terms);
/// 16 rows of 784 floats (50 KiB) stay in L2 from the tile's forward pass to
/// its backward pass; and a batch of 64 is 4 tiles, work for 4 threads.
inline constexpr int kCpuTrainTileRows = 16;

/// Outputs per row the tiles take (train_step_limits): a tile's logits and
/// targets are at most kCpuTrainTileRows × 16 floats, and a row's outputs
/// are at most four register blocks of four.
inline constexpr int kCpuMaxOutputs = 16;

/// The float lanes of the SIMD targets the tiles run on: 4 (SSE4, NEON, the
/// portable EMU128) to 16 (AVX-512; the tiles cap their vectors at 16
/// lanes). A logit's float dot product has ⌈d / lanes⌉ terms per lane, then
/// the lanes are added.
inline constexpr int kCpuMinFloatLanes = 4;
inline constexpr int kCpuMaxFloatLanes = 16;

/// Rows of X (staged) and of Wᵀ are zero-padded to a multiple of two of the
/// widest vectors, so that every loop over a row takes whole pairs of
/// vectors on every target. The padding adds exact zeros to every sum.
inline constexpr int kCpuRowPadFloats = 2 * kCpuMaxFloatLanes;

/// A training step computes its tiles in rounds of at most this many, each
/// round's dW and db partials then added into double sums in tile order: a
/// round bounds the workspace (about 2 MiB at d = 784, k = 10), and since the
/// double sums take the tiles in the same order whatever the rounds, it does
/// not change the bits. At least kCpuMinRoundTiles a round, however large d.
inline constexpr std::int64_t kCpuMaxRoundTiles = 64;
inline constexpr std::int64_t kCpuMinRoundTiles = 8;
inline constexpr std::size_t kCpuRoundPartialBytes = std::size_t{8} << 20;

/// Where a training step's workspace keeps what (byte offsets; every part
/// 64-byte aligned relative to the workspace).
struct CpuTrainStepLayout {
  std::int64_t padded_d;        // d rounded up to kCpuRowPadFloats
  std::int64_t tiles;           // ⌈n / kCpuTrainTileRows⌉
  std::int64_t round_tiles;     // tiles per round
  std::int64_t partial_floats;  // a tile's partials: k rows of dWᵀ (padded_d each), then db (padded)
  std::size_t sums;             // doubles: partial_floats, the sums of the partials of the tiles so far
  std::size_t tile_losses;      // doubles: round_tiles, the loss of each tile of a round
  std::size_t transposed_weights;  // floats: Wᵀ, k rows of padded_d
  std::size_t partials;            // floats: round_tiles × partial_floats
  std::size_t bytes;
};
CpuTrainStepLayout cpu_train_step_layout(std::int64_t n, int d, int k);

/// Where an evaluation's workspace keeps what.
struct CpuEvaluateLayout {
  std::int64_t padded_d;
  std::int64_t tiles;
  std::size_t tile_sums;           // doubles: per tile its loss, then its count of correct rows
  std::size_t transposed_weights;  // floats: Wᵀ, k rows of padded_d
  std::size_t bytes;
};
CpuEvaluateLayout cpu_evaluate_layout(std::int64_t n, int d, int k);

/// Per-thread scratch memory of at least `floats` floats, 64-byte aligned,
/// kept and reused by the thread's later tiles and calls (a tile's staged
/// rows of X, its logits and targets): no allocation per step.
float* cpu_tile_scratch(std::size_t floats);

}  // namespace lossbench::detail
