#include "gpu_samples.cuh"

#include "counters.hpp"
#include "backends/cuda/cuda_check.hpp"

namespace lossbench::bench {

void run_gpu_samples(benchmark::State& state, bool cold, L2Flush& flusher, const std::function<void()>& launch_once,
                     std::int64_t bytes, std::int64_t elements, double peak) {
  EventTimer timer;
  for (int warm = 0; warm < 3; ++warm) launch_once();
  LOSSBENCH_CUDA_CHECK(cudaDeviceSynchronize());
  double seconds = 0;
  for (auto _ : state) {
    double milliseconds = 0;
    if (cold) {
      flusher.flush(nullptr);
      timer.start(nullptr);
      launch_once();
      milliseconds = timer.stop_milliseconds(nullptr);
    } else {
      timer.start(nullptr);
      for (int k = 0; k < kGpuBatch; ++k) launch_once();
      milliseconds = timer.stop_milliseconds(nullptr) / kGpuBatch;
    }
    state.SetIterationTime(milliseconds * 1e-3);
    seconds += milliseconds * 1e-3;
  }
  set_throughput_counters(state, bytes, elements, seconds, peak);
}

}  // namespace lossbench::bench
