#pragma once
// The softmax cross-entropy GPU benchmarks, registered by register_gpu_benchmarks.
#include "benchmark_registry.hpp"
#include "measure/gpu_timing.cuh"

namespace lossbench::bench {

/// softmax_ce/fused/<dtype>/N=../V=.. (softmax_loss() on cuda) and
/// softmax_ce/unfused/... (SoftmaxUnfusedBaseline), f32 and bf16, int64
/// labels, mean, loss and gradient, at softmax_bench_shapes(); cold (L2
/// flushed before each sample). A case the backend cannot run yet (the
/// fused kernel beyond V = 32 today) is skipped with the backend's reason.
void register_gpu_softmax_benchmarks(L2Flush& flusher, double peak);

}  // namespace lossbench::bench
