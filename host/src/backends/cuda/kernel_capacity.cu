#include "backends/cuda/kernel_capacity.hpp"

#include <cuda_runtime.h>

#include <map>
#include <mutex>
#include <tuple>

#include "backends/cuda/cuda_check.hpp"

namespace lossbench::detail {

kernels::DeviceCapacity kernel_capacity(const void* kernel, int block_threads, std::size_t dynamic_shared) {
  int device = 0;
  LOSSBENCH_CUDA_CHECK(cudaGetDevice(&device));
  static std::mutex mutex;
  static std::map<std::tuple<int, const void*, int, std::size_t>, kernels::DeviceCapacity> cache;
  std::lock_guard lock(mutex);
  const auto key = std::make_tuple(device, kernel, block_threads, dynamic_shared);
  const auto found = cache.find(key);
  if (found != cache.end()) return found->second;
  int sm_count = 0;
  LOSSBENCH_CUDA_CHECK(cudaDeviceGetAttribute(&sm_count, cudaDevAttrMultiProcessorCount, device));
  int blocks_per_sm = 0;
  LOSSBENCH_CUDA_CHECK(
      cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks_per_sm, kernel, block_threads, dynamic_shared));
  return cache[key] = kernels::DeviceCapacity{sm_count, blocks_per_sm};
}

}  // namespace lossbench::detail
