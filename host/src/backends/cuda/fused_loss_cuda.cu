// The cuda backend of fused_loss(): the kernel on the GPU through the same
// launcher the emulator runs, with the grid sized by the occupancy API.
#include <nvtx3/nvtx3.hpp>

#include <map>
#include <mutex>
#include <utility>

#include "backends/cuda/cuda_backend.hpp"
#include "backends/cuda/cuda_check.hpp"
#include "backends/launch/fused_loss_launch.cuh"

namespace lossbench::detail {

namespace {

// The device capacity for a kernel (SM count × resident blocks per SM) never
// changes while the process runs: ask the occupancy API once per device and
// kernel, so that a call costs one launch, not three more API calls (which
// would dominate back-to-back launches at small n).
kernels::DeviceCapacity cached_capacity(int device, const void* kernel,
                                        kernels::DeviceCapacity (*query)(int, const void*)) {
  static std::mutex mutex;
  static std::map<std::pair<int, const void*>, kernels::DeviceCapacity> cache;
  std::lock_guard lock(mutex);
  const auto key = std::make_pair(device, kernel);
  const auto found = cache.find(key);
  if (found != cache.end()) return found->second;
  return cache[key] = query(device, kernel);
}

}  // namespace

void fused_loss_cuda(const FusedLossCall& call, void* workspace, void* stream) {
  // A named range per call for Nsight Systems; costs nothing without a tool attached.
  const nvtx3::scoped_range range{"lossbench::fused_loss"};
  int device = 0;
  LOSSBENCH_CUDA_CHECK(cudaGetDevice(&device));
  const auto capacity_of = [device](auto kernel) {
    const auto query = [](int dev, const void* k) {
      int sm_count = 0;
      LOSSBENCH_CUDA_CHECK(cudaDeviceGetAttribute(&sm_count, cudaDevAttrMultiProcessorCount, dev));
      int blocks_per_sm = 0;
      LOSSBENCH_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks_per_sm, k, kernels::kBlockThreads, 0));
      return kernels::DeviceCapacity{sm_count, blocks_per_sm};
    };
    return cached_capacity(device, reinterpret_cast<const void*>(kernel), query);
  };
  kernels::launch_fused_loss(call, workspace, static_cast<cudaStream_t>(stream), capacity_of);
}

}  // namespace lossbench::detail
