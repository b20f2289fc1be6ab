#pragma once
// Turns a failed CUDA runtime call into a BackendError naming the call and
// where it was made. Host code of the cuda backend only.
#include <cuda_runtime.h>

#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench::detail {

inline void check_cuda(cudaError_t status, const char* call, const char* file, int line) {
  if (status == cudaSuccess) return;
  throw BackendError(std::string(file) + ":" + std::to_string(line) + ": " + call + " failed: " +
                     cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")");
}

}  // namespace lossbench::detail

#define LOSSBENCH_CUDA_CHECK(call) ::lossbench::detail::check_cuda((call), #call, __FILE__, __LINE__)
