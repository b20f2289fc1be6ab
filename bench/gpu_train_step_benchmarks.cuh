#pragma once
// The training-step GPU benchmarks, registered by register_gpu_benchmarks.
#include "benchmark_registry.hpp"
#include "measure/gpu_timing.cuh"

namespace lossbench::bench {

/// train_step/fused and train_step/baseline (cuBLAS), BCE, d = 784,
/// k ∈ {1, 10, 16}, n = 2^14, 2^16, 2^18, cold and batched.
void register_gpu_train_step_benchmarks(L2Flush& flusher, double peak);

}  // namespace lossbench::bench
