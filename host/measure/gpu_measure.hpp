#pragma once
// GPU measurements for `lossbench bench`, callable from plain C++ (the CLI
// is not compiled by nvcc). In a build without CUDA they throw BackendError.
#include <functional>

namespace lossbench::measure {

/// Device-to-device copy bandwidth, bytes read + written per second.
double gpu_copy_bandwidth();

/// Median over `repeats` batched samples (gpu_sampling.cuh) of the GPU time
/// of one call of `launch`, inside an NVTX range named `label`.
double median_gpu_seconds(const std::function<void()>& launch, int repeats, int batch, const char* label);

/// cudaProfilerStart/Stop around the measured region, so that
/// `nsys profile --capture-range=cudaProfilerApi` records only it.
void gpu_profiler_start();
void gpu_profiler_stop();

}  // namespace lossbench::measure
