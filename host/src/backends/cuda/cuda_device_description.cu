// describe_gpu_device() on the cuda backend: device properties and versions
// from the runtime. The clocks are read as attributes because CUDA 13 no
// longer has them in cudaDeviceProp.
#include "backends/cuda/cuda_check.hpp"
#include "lossbench/core/backend.hpp"
#include "lossbench/core/gpu_device.hpp"

namespace lossbench {

GpuDeviceDescription describe_gpu_device() {
  const BackendAvailability cuda = backend_availability(Backend::cuda);
  if (!cuda.available) throw BackendError(cuda.reason);
  int device = 0;
  LOSSBENCH_CUDA_CHECK(cudaGetDevice(&device));
  cudaDeviceProp properties{};
  LOSSBENCH_CUDA_CHECK(cudaGetDeviceProperties(&properties, device));
  GpuDeviceDescription d;
  d.name = properties.name;
  d.compute_capability_major = properties.major;
  d.compute_capability_minor = properties.minor;
  d.sm_count = properties.multiProcessorCount;
  d.l2_bytes = properties.l2CacheSize;
  d.memory_bytes = static_cast<std::int64_t>(properties.totalGlobalMem);
  d.memory_bus_width_bits = properties.memoryBusWidth;
  d.shared_memory_per_block_optin_bytes = static_cast<std::int64_t>(properties.sharedMemPerBlockOptin);
  LOSSBENCH_CUDA_CHECK(cudaDeviceGetAttribute(&d.sm_clock_khz, cudaDevAttrClockRate, device));
  LOSSBENCH_CUDA_CHECK(cudaDeviceGetAttribute(&d.memory_clock_khz, cudaDevAttrMemoryClockRate, device));
  LOSSBENCH_CUDA_CHECK(cudaDriverGetVersion(&d.driver_version));
  LOSSBENCH_CUDA_CHECK(cudaRuntimeGetVersion(&d.runtime_version));
  return d;
}

}  // namespace lossbench
