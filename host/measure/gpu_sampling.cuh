#pragma once
// How every GPU time in lossbench is sampled, for `lossbench bench` and the
// Google Benchmark suite alike: warm-up calls first, then per sample either
// one call after an L2 flush (cold) or `batch` back-to-back calls (batched),
// timed with CUDA events on the default stream.
#include <functional>

#include "measure/gpu_timing.cuh"

namespace lossbench::measure {

/// Calls `launch` `calls` times and waits: first-launch costs (module load,
/// lazy allocation) stay out of the samples.
void gpu_warm_up(const std::function<void()>& launch, int calls);

/// One sample: seconds per call of `launch`, which must enqueue its work on
/// the default stream. With `cold_flush`, the L2 is rewritten first and one
/// call is timed; otherwise `batch` back-to-back calls are timed and divided.
double gpu_sample_seconds(const std::function<void()>& launch, EventTimer& timer, L2Flush* cold_flush, int batch);

}  // namespace lossbench::measure
