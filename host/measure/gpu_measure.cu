#include <cuda_profiler_api.h>
#include <nvtx3/nvtx3.hpp>

#include <algorithm>
#include <vector>

#include "measure/gpu_measure.hpp"
#include "measure/gpu_sampling.cuh"
#include "backends/cuda/cuda_check.hpp"

namespace lossbench::measure {

double gpu_copy_bandwidth() { return measure_device_copy_bandwidth(); }

double median_gpu_seconds(const std::function<void()>& launch, int repeats, int batch, const char* label) {
  const nvtx3::scoped_range range{label};
  EventTimer timer;
  gpu_warm_up(launch, 1);
  std::vector<double> samples;
  for (int r = 0; r < repeats; ++r) samples.push_back(gpu_sample_seconds(launch, timer, nullptr, batch));
  std::nth_element(samples.begin(), samples.begin() + samples.size() / 2, samples.end());
  return samples[samples.size() / 2];
}

std::vector<double> gpu_call_seconds(const std::function<void()>& launch, int repeats,
                                     const std::function<void()>& before) {
  EventTimer timer;
  if (before) before();
  gpu_warm_up(launch, 1);
  std::vector<double> seconds;
  for (int r = 0; r < repeats; ++r) {
    if (before) before();
    seconds.push_back(gpu_sample_seconds(launch, timer, nullptr, 1));
  }
  return seconds;
}

void gpu_profiler_start() { LOSSBENCH_CUDA_CHECK(cudaProfilerStart()); }
void gpu_profiler_stop() { LOSSBENCH_CUDA_CHECK(cudaProfilerStop()); }

}  // namespace lossbench::measure
