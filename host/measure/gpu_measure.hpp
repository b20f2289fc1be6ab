#pragma once
// GPU measurements for `lossbench bench`, callable from plain C++ (the CLI
// is not compiled by nvcc). In a build without CUDA they throw BackendError.
#include <functional>
#include <vector>

namespace lossbench::measure {

/// Device-to-device copy bandwidth, bytes read + written per second.
double gpu_copy_bandwidth();

/// Median over `repeats` batched samples (gpu_sampling.cuh) of the GPU time
/// of one call of `launch`, inside an NVTX range named `label`.
double median_gpu_seconds(const std::function<void()>& launch, int repeats, int batch, const char* label);

/// The GPU time of each of `repeats` calls of `launch` (seconds), each one
/// timed alone with CUDA events on the default stream, after one untimed
/// warm-up call. `before`, when not empty, runs before every call (the
/// warm-up's too) and is not timed: it restores inputs that a call
/// overwrites, such as the logits of an in-place gradient.
std::vector<double> gpu_call_seconds(const std::function<void()>& launch, int repeats,
                                     const std::function<void()>& before);

/// cudaProfilerStart/Stop around the measured region, so that
/// `nsys profile --capture-range=cudaProfilerApi` records only it.
void gpu_profiler_start();
void gpu_profiler_stop();

}  // namespace lossbench::measure
