#include "measure/gpu_sampling.cuh"

#include "backends/cuda/cuda_check.hpp"

namespace lossbench::measure {

void gpu_warm_up(const std::function<void()>& launch, int calls) {
  for (int k = 0; k < calls; ++k) launch();
  LOSSBENCH_CUDA_CHECK(cudaDeviceSynchronize());
}

double gpu_sample_seconds(const std::function<void()>& launch, EventTimer& timer, L2Flush* cold_flush, int batch) {
  if (cold_flush != nullptr) {
    cold_flush->flush(nullptr);
    batch = 1;
  }
  timer.start(nullptr);
  for (int k = 0; k < batch; ++k) launch();
  return timer.stop_milliseconds(nullptr) * 1e-3 / batch;
}

}  // namespace lossbench::measure
