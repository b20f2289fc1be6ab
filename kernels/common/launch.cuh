#pragma once
// lossbench::launch(kernel, grid, block, shared_bytes, stream, args...): how
// host code starts a kernel in both worlds. Under nvcc it is <<<...>>> plus
// an error check; otherwise the emulator runs the grid (emu/launch.hpp).
#include "kernels/common/cuda_compat.cuh"

#if defined(__CUDACC__)

#include <cstddef>
#include <stdexcept>
#include <string>

namespace lossbench {

using Stream = cudaStream_t;
inline Stream default_stream() { return nullptr; }

/// A launch that CUDA refused (configuration, resources) or a failed call.
class CudaLaunchError : public std::runtime_error {
 public:
  explicit CudaLaunchError(const std::string& what) : std::runtime_error(what) {}
};

template <class... Params, class... Args>
void launch(void (*kernel)(Params...), dim3 grid, dim3 block, std::size_t shared_bytes, Stream stream,
            Args&&... args) {
  kernel<<<grid, block, shared_bytes, stream>>>(std::forward<Args>(args)...);
  // Only launch errors surface here; faults during execution surface at the
  // next synchronising call, which the caller checks.
  const cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess) {
    throw CudaLaunchError(std::string("kernel launch failed: ") + cudaGetErrorName(status) + " (" +
                          cudaGetErrorString(status) + ")");
  }
}

}  // namespace lossbench

#else

#include "emu/launch.hpp"

#endif
