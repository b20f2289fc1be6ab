#pragma once
// How many blocks of a kernel the current GPU holds at once (SM count ×
// resident blocks per SM, from the occupancy API), for the persistent grids
// of the launchers (persistent_grid.hpp). Host code of the cuda backend.
#include <cstddef>

#include "backends/launch/persistent_grid.hpp"

namespace lossbench::detail {

/// The capacity for `kernel` launched with `block_threads` threads and
/// `dynamic_shared` bytes of dynamic shared memory on the current device. It
/// never changes while the process runs, so the occupancy API is asked once
/// per device, kernel and shape: a call then costs one launch, not three
/// more API calls (which would dominate back-to-back launches at small n).
kernels::DeviceCapacity kernel_capacity(const void* kernel, int block_threads, std::size_t dynamic_shared = 0);

}  // namespace lossbench::detail
