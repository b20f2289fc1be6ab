#include <cuda_profiler_api.h>
#include <nvtx3/nvtx3.hpp>

#include <algorithm>
#include <vector>

#include "measure/gpu_measure.hpp"
#include "measure/gpu_timing.cuh"
#include "backends/cuda/cuda_check.hpp"

namespace lossbench::measure {

double gpu_copy_bandwidth() { return measure_device_copy_bandwidth(); }

double median_gpu_seconds(const std::function<void()>& launch, int repeats, int batch, const char* label) {
  const nvtx3::scoped_range range{label};
  EventTimer timer;
  launch();  // warm-up: first-launch costs (module load) stay out of the samples
  LOSSBENCH_CUDA_CHECK(cudaDeviceSynchronize());
  std::vector<double> samples;
  for (int r = 0; r < repeats; ++r) {
    timer.start(nullptr);
    for (int k = 0; k < batch; ++k) launch();
    samples.push_back(timer.stop_milliseconds(nullptr) * 1e-3 / batch);
  }
  std::nth_element(samples.begin(), samples.begin() + samples.size() / 2, samples.end());
  return samples[samples.size() / 2];
}

void gpu_profiler_start() { LOSSBENCH_CUDA_CHECK(cudaProfilerStart()); }
void gpu_profiler_stop() { LOSSBENCH_CUDA_CHECK(cudaProfilerStop()); }

}  // namespace lossbench::measure
