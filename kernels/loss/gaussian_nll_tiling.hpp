#pragma once
// The Gaussian NLL kernel's fixed tiling and workspace layout, in plain C++
// so that the host API (built without CUDA) and the kernel
// (kernels/loss/gaussian_nll.cuh) share one definition.
#include <cstddef>
#include <cstdint>

namespace lossbench::kernels {

inline constexpr int kGaussianNllBlockThreads = 256;
/// Fixed so that the tile partials, and hence the reduced loss's bits, do
/// not depend on the grid size. 4096 = 256 threads × 16 elements: 4 packs
/// of 4 floats or 2 packs of 8 halves per array and thread, the same tile
/// as the fused loss.
inline constexpr int kGaussianNllTileElements = 4096;

constexpr std::int64_t gaussian_nll_tile_count(std::int64_t n) {
  return n <= 0 ? 0 : (n + kGaussianNllTileElements - 1) / kGaussianNllTileElements;
}

/// Workspace (sum and mean only): one float partial per tile, padded to 16
/// bytes, then the unsigned blocks-done counter in a 16-byte slot. The
/// counter must be 0 before the first launch; the kernel leaves it 0.
struct GaussianNllWorkspaceLayout {
  std::size_t counter_offset;
  std::size_t total_bytes;
};

constexpr GaussianNllWorkspaceLayout gaussian_nll_workspace_layout(std::int64_t n) {
  const auto tiles = static_cast<std::size_t>(gaussian_nll_tile_count(n));
  const std::size_t partial_bytes = (tiles * sizeof(float) + 15) / 16 * 16;
  return {partial_bytes, partial_bytes + 16};
}

}  // namespace lossbench::kernels
