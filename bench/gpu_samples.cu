#include "gpu_samples.cuh"

#include "counters.hpp"

namespace lossbench::bench {

void run_gpu_samples(benchmark::State& state, bool cold, L2Flush& flusher, const std::function<void()>& launch_once,
                     std::int64_t bytes, std::int64_t elements, double peak) {
  EventTimer timer;
  gpu_warm_up(launch_once, 3);
  double seconds = 0;
  for (auto _ : state) {
    const double sample = gpu_sample_seconds(launch_once, timer, cold ? &flusher : nullptr, kGpuBatch);
    state.SetIterationTime(sample);
    seconds += sample;
  }
  set_throughput_counters(state, bytes, elements, seconds, peak);
}

}  // namespace lossbench::bench
