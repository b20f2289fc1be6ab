#pragma once
// The fused loss kernel's fixed tiling and workspace layout, in plain C++ so
// that the host API (built without CUDA) and the kernel share one definition.
#include <cstddef>
#include <cstdint>

namespace lossbench::kernels {

inline constexpr int kBlockThreads = 256;
/// Fixed so that partial sums, and hence the reduced loss's bits, do not
/// depend on the grid size. 4096 = 256 threads × 16 floats (4 packs) or × 16
/// halves (2 packs): enough loads in flight per thread to cover DRAM latency.
inline constexpr int kTileElements = 4096;

/// Workspace: one float partial per tile, padded to 16 bytes, then the
/// unsigned blocks-done counter (in a 16-byte slot).
struct FusedLossWorkspaceLayout {
  std::size_t counter_offset;
  std::size_t total_bytes;
};

constexpr FusedLossWorkspaceLayout fused_loss_workspace_layout(std::int64_t n) {
  const auto tiles = static_cast<std::size_t>(n <= 0 ? 0 : (n + kTileElements - 1) / kTileElements);
  const std::size_t partial_bytes = (tiles * sizeof(float) + 15) / 16 * 16;
  return {partial_bytes, partial_bytes + 16};
}

}  // namespace lossbench::kernels
