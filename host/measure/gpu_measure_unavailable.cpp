// GPU measurements in a build without CUDA: each says why it cannot run.
#include "measure/gpu_measure.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench::measure {
namespace {
[[noreturn]] void unavailable() {
  throw BackendError("this build has no CUDA backend (configured with LOSSBENCH_CUDA=OFF or without nvcc)");
}
}  // namespace

double gpu_copy_bandwidth() { unavailable(); }
double median_gpu_seconds(const std::function<void()>&, int, int, const char*) { unavailable(); }
std::vector<double> gpu_call_seconds(const std::function<void()>&, int, const std::function<void()>&) {
  unavailable();
}
void gpu_profiler_start() { unavailable(); }
void gpu_profiler_stop() { unavailable(); }

}  // namespace lossbench::measure
