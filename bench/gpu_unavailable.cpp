// The GPU benchmarks of a build without CUDA: there are none, and this says why.
#include "benchmark_registry.hpp"

namespace lossbench::bench {

bool register_gpu_benchmarks(std::string& why_not) {
  why_not = "this build has no CUDA backend (configured with LOSSBENCH_CUDA=OFF or without nvcc)";
  return false;
}

}  // namespace lossbench::bench
