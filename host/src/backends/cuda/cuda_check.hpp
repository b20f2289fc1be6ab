#pragma once
// Turns a failed CUDA runtime or cuBLAS call into a BackendError naming the
// call, where it was made, and the library's name for the error, e.g.
// "fused_loss_cuda.cu:41: cudaMalloc(&device, bytes) failed:
// cudaErrorMemoryAllocation (out of memory)". Host code of the cuda backend
// and of the GPU measurements.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench::detail {

[[noreturn]] inline void throw_call_failed(const char* call, const char* file, int line, const char* name,
                                           const char* description) {
  throw BackendError(std::string(file) + ":" + std::to_string(line) + ": " + call + " failed: " + name + " (" +
                     description + ")");
}

inline void check_cuda(cudaError_t status, const char* call, const char* file, int line) {
  if (status != cudaSuccess) throw_call_failed(call, file, line, cudaGetErrorName(status), cudaGetErrorString(status));
}

inline void check_cublas(cublasStatus_t status, const char* call, const char* file, int line) {
  if (status != CUBLAS_STATUS_SUCCESS) {
    throw_call_failed(call, file, line, cublasGetStatusName(status), cublasGetStatusString(status));
  }
}

}  // namespace lossbench::detail

#define LOSSBENCH_CUDA_CHECK(call) ::lossbench::detail::check_cuda((call), #call, __FILE__, __LINE__)
#define LOSSBENCH_CUBLAS_CHECK(call) ::lossbench::detail::check_cublas((call), #call, __FILE__, __LINE__)
