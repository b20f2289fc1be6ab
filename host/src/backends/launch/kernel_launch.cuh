#pragma once
// lossbench::launch(kernel, grid, block, shared_bytes, stream, args...): how
// host code starts a kernel in both worlds. Under nvcc it is <<<...>>> plus
// an error check; otherwise the emulator runs the grid (emu/launch.hpp),
// which throws emu::EmuError, a BackendError, for what a GPU would refuse.
// check_status() turns the status of any other device call the launchers
// make (CUB, a function attribute) into a BackendError with CUDA's name for
// it; max_dynamic_shared_bytes() says how much dynamic shared memory a
// kernel may opt in to on the device that runs it.
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

/// The most dynamic shared memory a block of `kernel` may have on the
/// current device (after opting in with cudaFuncSetAttribute): the
/// device's per-block opt-in limit less the kernel's static shared memory.
template <class... Params>
std::size_t max_dynamic_shared_bytes(void (*kernel)(Params...)) {
  int device = 0;
  check_status(cudaGetDevice(&device), "cudaGetDevice");
  int opt_in = 0;
  check_status(cudaDeviceGetAttribute(&opt_in, cudaDevAttrMaxSharedMemoryPerBlockOptin, device),
               "cudaDeviceGetAttribute(cudaDevAttrMaxSharedMemoryPerBlockOptin)");
  cudaFuncAttributes attributes{};
  check_status(cudaFuncGetAttributes(&attributes, kernel), "cudaFuncGetAttributes");
  const auto limit = static_cast<std::size_t>(opt_in);
  return limit > attributes.sharedSizeBytes ? limit - attributes.sharedSizeBytes : 0;
}

}  // namespace lossbench

#else

#include <cstddef>

#include "emu/launch.hpp"

namespace lossbench {

/// The emulator's pretend H100 lets every kernel opt in to 227 KiB
/// (emu::kMaxDynamicSharedOptIn; it does not count static shared memory).
template <class... Params>
std::size_t max_dynamic_shared_bytes(void (*)(Params...)) {
  return static_cast<std::size_t>(emu::kMaxDynamicSharedOptIn);
}

}  // namespace lossbench

#endif
