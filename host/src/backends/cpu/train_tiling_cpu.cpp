#include "backends/cpu/train_tiling_cpu.hpp"

#include <algorithm>
#include <new>

#include "hwy/aligned_allocator.h"

namespace lossbench::detail {
namespace {

constexpr std::size_t kAlign = 64;

std::size_t aligned(std::size_t bytes) { return (bytes + kAlign - 1) / kAlign * kAlign; }

std::int64_t padded(int d) {
  return (static_cast<std::int64_t>(d) + kCpuRowPadFloats - 1) / kCpuRowPadFloats * kCpuRowPadFloats;
}

std::int64_t tiles_of(std::int64_t n) { return (n + kCpuTrainTileRows - 1) / kCpuTrainTileRows; }

}  // namespace

CpuTrainStepLayout cpu_train_step_layout(std::int64_t n, int d, int k) {
  CpuTrainStepLayout l{};
  l.padded_d = padded(d);
  l.tiles = tiles_of(n);
  l.partial_floats = k * l.padded_d + kCpuRowPadFloats;
  const auto partial_bytes = static_cast<std::size_t>(l.partial_floats) * sizeof(float);
  const auto fitting = static_cast<std::int64_t>(kCpuRoundPartialBytes / partial_bytes);
  l.round_tiles = std::min({l.tiles, kCpuMaxRoundTiles, std::max(kCpuMinRoundTiles, fitting)});
  l.sums = 0;
  l.tile_losses = l.sums + aligned(static_cast<std::size_t>(l.partial_floats) * sizeof(double));
  l.transposed_weights = l.tile_losses + aligned(static_cast<std::size_t>(l.round_tiles) * sizeof(double));
  l.partials = l.transposed_weights + aligned(static_cast<std::size_t>(k * l.padded_d) * sizeof(float));
  l.bytes = l.partials + static_cast<std::size_t>(l.round_tiles) * partial_bytes;
  return l;
}

CpuEvaluateLayout cpu_evaluate_layout(std::int64_t n, int d, int k) {
  CpuEvaluateLayout l{};
  l.padded_d = padded(d);
  l.tiles = tiles_of(n);
  l.tile_sums = 0;
  l.transposed_weights = aligned(static_cast<std::size_t>(2 * l.tiles) * sizeof(double));
  l.bytes = l.transposed_weights + static_cast<std::size_t>(k * l.padded_d) * sizeof(float);
  return l;
}

float* cpu_tile_scratch(std::size_t floats) {
  thread_local hwy::AlignedFreeUniquePtr<float[]> buffer;
  thread_local std::size_t capacity = 0;
  if (floats > capacity) {
    buffer = hwy::AllocateAligned<float>(floats);
    if (!buffer) throw std::bad_alloc();
    capacity = floats;
  }
  return buffer.get();
}

}  // namespace lossbench::detail
