#pragma once
// How every GPU benchmark takes its samples, one way for all of them: a few
// warm-up calls, then per sample either one call after an L2 flush (cold) or
// kGpuBatch back-to-back calls (batched), timed with CUDA events and reported
// as manual time, with the bandwidth counters against `peak`.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>

#include "benchmark_registry.hpp"
#include "measure/gpu_timing.cuh"

namespace lossbench::bench {

inline constexpr int kGpuBatch = 20;  // calls per batched sample

/// `bytes` and `elements` are per call of `launch_once`, which must enqueue
/// its work on the default stream.
void run_gpu_samples(benchmark::State& state, bool cold, L2Flush& flusher, const std::function<void()>& launch_once,
                     std::int64_t bytes, std::int64_t elements, double peak);

}  // namespace lossbench::bench
