#include "measure/gpu_timing.cuh"

#include <algorithm>

#include "backends/cuda/cuda_check.hpp"
#include "measure/traffic.hpp"

namespace lossbench::measure {

EventTimer::EventTimer() {
  LOSSBENCH_CUDA_CHECK(cudaEventCreate(&start_));
  LOSSBENCH_CUDA_CHECK(cudaEventCreate(&stop_));
}

EventTimer::~EventTimer() {
  cudaEventDestroy(start_);
  cudaEventDestroy(stop_);
}

void EventTimer::start(cudaStream_t stream) { LOSSBENCH_CUDA_CHECK(cudaEventRecord(start_, stream)); }

double EventTimer::stop_milliseconds(cudaStream_t stream) {
  LOSSBENCH_CUDA_CHECK(cudaEventRecord(stop_, stream));
  LOSSBENCH_CUDA_CHECK(cudaEventSynchronize(stop_));
  float milliseconds = 0;
  LOSSBENCH_CUDA_CHECK(cudaEventElapsedTime(&milliseconds, start_, stop_));
  return milliseconds;
}

std::size_t device_l2_bytes() {
  int device = 0;
  LOSSBENCH_CUDA_CHECK(cudaGetDevice(&device));
  int l2 = 0;
  LOSSBENCH_CUDA_CHECK(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, device));
  return static_cast<std::size_t>(l2);
}

L2Flush::L2Flush() : bytes_(device_l2_bytes()) {
  LOSSBENCH_CUDA_CHECK(cudaMalloc(&buffer_, bytes_ == 0 ? 1 : bytes_));
}

L2Flush::~L2Flush() { cudaFree(buffer_); }

void L2Flush::flush(cudaStream_t stream, unsigned char value) {
  // cudaMemsetAsync(pointer, value, count): the count is the last argument;
  // swapping the two (a known bug in public benchmark code) flushes nothing.
  LOSSBENCH_CUDA_CHECK(cudaMemsetAsync(buffer_, value, bytes_, stream));
}

double measure_device_copy_bandwidth() {
  constexpr std::size_t kBytes = std::size_t{256} << 20;
  void* source = nullptr;
  void* destination = nullptr;
  LOSSBENCH_CUDA_CHECK(cudaMalloc(&source, kBytes));
  LOSSBENCH_CUDA_CHECK(cudaMalloc(&destination, kBytes));
  LOSSBENCH_CUDA_CHECK(cudaMemset(source, 1, kBytes));
  EventTimer timer;
  double best_ms = 1e30;
  for (int pass = 0; pass < 10; ++pass) {
    timer.start(nullptr);
    LOSSBENCH_CUDA_CHECK(cudaMemcpyAsync(destination, source, kBytes, cudaMemcpyDeviceToDevice, nullptr));
    best_ms = std::min(best_ms, timer.stop_milliseconds(nullptr));
  }
  cudaFree(source);
  cudaFree(destination);
  return static_cast<double>(copy_traffic(static_cast<std::int64_t>(kBytes))) / (best_ms * 1e-3);
}

}  // namespace lossbench::measure
