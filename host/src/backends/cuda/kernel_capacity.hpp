#pragma once
// How many blocks of a kernel the current GPU holds at once (SM count ×
// resident blocks per SM, from the occupancy API), for the persistent grids
// of the launchers (persistent_grid.hpp). Host code of the cuda backend.
#include <cuda_runtime.h>

#include <map>
#include <mutex>
#include <utility>

#include "backends/cuda/cuda_check.hpp"
#include "backends/launch/persistent_grid.hpp"

namespace lossbench::detail {

/// The capacity for `kernel` launched with `block_threads` threads and no
/// dynamic shared memory on the current device. It never changes while the
/// process runs, so the occupancy API is asked once per device and kernel:
/// a call then costs one launch, not three more API calls (which would
/// dominate back-to-back launches at small n).
inline kernels::DeviceCapacity kernel_capacity(const void* kernel, int block_threads) {
  int device = 0;
  LOSSBENCH_CUDA_CHECK(cudaGetDevice(&device));
  static std::mutex mutex;
  static std::map<std::pair<int, const void*>, kernels::DeviceCapacity> cache;
  std::lock_guard lock(mutex);
  const auto key = std::make_pair(device, kernel);
  const auto found = cache.find(key);
  if (found != cache.end()) return found->second;
  int sm_count = 0;
  LOSSBENCH_CUDA_CHECK(cudaDeviceGetAttribute(&sm_count, cudaDevAttrMultiProcessorCount, device));
  int blocks_per_sm = 0;
  LOSSBENCH_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks_per_sm, kernel, block_threads, 0));
  return cache[key] = kernels::DeviceCapacity{sm_count, blocks_per_sm};
}

}  // namespace lossbench::detail
