#pragma once
// A GPU benchmark's loop: the samples of measure/gpu_sampling.cuh (the one
// way every GPU time is taken), reported to Google Benchmark as manual time,
// with the bandwidth counters against `peak`.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>

#include "benchmark_registry.hpp"
#include "measure/gpu_sampling.cuh"

namespace lossbench::bench {

inline constexpr int kGpuBatch = 20;  // calls per batched sample

/// `bytes` and `elements` are per call of `launch_once`, which must enqueue
/// its work on the default stream.
void run_gpu_samples(benchmark::State& state, bool cold, L2Flush& flusher, const std::function<void()>& launch_once,
                     std::int64_t bytes, std::int64_t elements, double peak);

}  // namespace lossbench::bench
