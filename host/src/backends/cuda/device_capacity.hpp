#pragma once
// How many blocks of a kernel the current GPU holds at once, for the
// launchers' persistent grids. Internal.
#include <cstddef>

#include "backends/launch/persistent_grid.hpp"

namespace lossbench::detail {

/// SM count × resident blocks per SM of `kernel` at `block_threads` and
/// `dynamic_shared` bytes on `device`, from the occupancy API. The answer
/// never changes while the process runs, so it is asked once per device,
/// kernel and shape: a call then costs one launch, not three more API calls
/// (which would dominate back-to-back launches at small n).
kernels::DeviceCapacity cached_device_capacity(int device, const void* kernel, int block_threads,
                                               std::size_t dynamic_shared);

}  // namespace lossbench::detail
