#pragma once
// lossbench::launch(kernel, grid, block, shared_bytes, stream, args...): how
// host code starts a kernel in both worlds. Under nvcc it is <<<...>>> plus
// an error check; otherwise the emulator runs the grid (emu/launch.hpp),
// which throws emu::EmuError, a BackendError, for what a GPU would refuse.
// check_status() turns the status of any other device call the launchers
// make (CUB, a function attribute) into a BackendError with CUDA's name for it.
#include <string>

#include "kernels/common/cuda_compat.cuh"
#include "lossbench/core/error.hpp"

namespace lossbench {

/// Throws BackendError "<what> failed: <CUDA error name> (<description>)" unless `status` is cudaSuccess.
inline void check_status(cudaError_t status, const std::string& what) {
  if (status == cudaSuccess) return;
  throw BackendError(what + " failed: " + cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")");
}

}  // namespace lossbench

#if defined(__CUDACC__)

#include <cstddef>
#include <utility>

namespace lossbench {

using Stream = cudaStream_t;
inline Stream default_stream() { return nullptr; }

template <class... Params, class... Args>
void launch(void (*kernel)(Params...), dim3 grid, dim3 block, std::size_t shared_bytes, Stream stream,
            Args&&... args) {
  kernel<<<grid, block, shared_bytes, stream>>>(std::forward<Args>(args)...);
  // Only launch errors surface here; faults during execution surface at the
  // next synchronising call, which the caller checks.
  check_status(cudaGetLastError(), "kernel launch");
}

}  // namespace lossbench

#else

#include "emu/launch.hpp"

#endif
