#pragma once
// Turns a failed cuBLAS call into a BackendError naming the call and where
// it was made, as LOSSBENCH_CUDA_CHECK does for the runtime. Internal.
#include <cublas_v2.h>

#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench::detail {

inline void check_cublas(cublasStatus_t status, const char* call, const char* file, int line) {
  if (status == CUBLAS_STATUS_SUCCESS) return;
  throw BackendError(std::string(file) + ":" + std::to_string(line) + ": " + call + " failed: " +
                     cublasGetStatusName(status) + " (" + cublasGetStatusString(status) + ")");
}

}  // namespace lossbench::detail

#define LOSSBENCH_CUBLAS_CHECK(call) ::lossbench::detail::check_cublas((call), #call, __FILE__, __LINE__)
