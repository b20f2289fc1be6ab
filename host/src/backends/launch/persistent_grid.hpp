#pragma once
// The grid of a persistent kernel (blocks walk fixed tiles: b, b + grid, ...):
// as many blocks as the device holds at once, shared by the launchers that
// nvcc and the emulator both compile. Plain C++.
#include <algorithm>
#include <cstdint>

namespace lossbench::kernels {

/// How many blocks of a kernel the device holds at once.
struct DeviceCapacity {
  int sm_count = 1;
  int blocks_per_sm = 1;
};

/// A persistent grid: as many blocks as fit on the device at once, but never
/// more than there are tiles, and at least one (no tiles still writes the result).
inline unsigned int persistent_grid_size(std::int64_t num_tiles, DeviceCapacity capacity) {
  const std::int64_t resident = std::max<std::int64_t>(1, std::int64_t{capacity.sm_count} * capacity.blocks_per_sm);
  return static_cast<unsigned int>(std::clamp<std::int64_t>(num_tiles, 1, resident));
}

}  // namespace lossbench::kernels
