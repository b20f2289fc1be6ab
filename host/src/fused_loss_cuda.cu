// The cuda backend: device memory, availability, and fused_loss() on the GPU
// through the same launcher the emulator runs.
#include <nvtx3/nvtx3.hpp>

#include "backends.hpp"
#include "lossbench/detail/cuda_check.hpp"
#include "kernels/fused_loss_launch.cuh"

namespace lossbench::detail {

BackendAvailability cuda_availability() {
  // Asked once: the answer does not change while the process runs, and
  // cudaGetDeviceCount initialises the runtime, which is slow the first time.
  static const BackendAvailability availability = [] {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
      return BackendAvailability{false, std::string("no usable CUDA device: ") + cudaGetErrorName(status) + " (" +
                                            cudaGetErrorString(status) + ")"};
    }
    if (count == 0) return BackendAvailability{false, "no CUDA device found"};
    return BackendAvailability{true, ""};
  }();
  return availability;
}

void* cuda_allocate(std::size_t bytes) {
  void* device = nullptr;
  LOSSBENCH_CUDA_CHECK(cudaMalloc(&device, bytes == 0 ? 1 : bytes));
  return device;
}

void cuda_free(void* device) noexcept { cudaFree(device); }

void cuda_copy_to_device(void* device, const void* host, std::size_t bytes) {
  LOSSBENCH_CUDA_CHECK(cudaMemcpy(device, host, bytes, cudaMemcpyHostToDevice));
}

void cuda_copy_to_host(void* host, const void* device, std::size_t bytes) {
  LOSSBENCH_CUDA_CHECK(cudaMemcpy(host, device, bytes, cudaMemcpyDeviceToHost));
}

void cuda_fill_bytes(void* device, unsigned char value, std::size_t bytes) {
  LOSSBENCH_CUDA_CHECK(cudaMemset(device, value, bytes));
  LOSSBENCH_CUDA_CHECK(cudaDeviceSynchronize());
}

void fused_loss_cuda(const FusedLossCall& call, void* workspace, void* stream) {
  // A named range per call for Nsight Systems; costs nothing without a tool attached.
  const nvtx3::scoped_range range{"lossbench::fused_loss"};
  int device = 0;
  LOSSBENCH_CUDA_CHECK(cudaGetDevice(&device));
  int sm_count = 0;
  LOSSBENCH_CUDA_CHECK(cudaDeviceGetAttribute(&sm_count, cudaDevAttrMultiProcessorCount, device));
  const auto capacity_of = [&](auto kernel) {
    int blocks_per_sm = 0;
    LOSSBENCH_CUDA_CHECK(
        cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks_per_sm, kernel, kernels::kBlockThreads, 0));
    return kernels::DeviceCapacity{sm_count, blocks_per_sm};
  };
  kernels::launch_fused_loss(call, workspace, static_cast<cudaStream_t>(stream), capacity_of);
}

}  // namespace lossbench::detail
