#pragma once
// launch() for the emulator: the same call host code makes under nvcc
// (host/src/backends/launch/kernel_launch.cuh), running the grid on the CPU.
#include <cstddef>
#include <functional>
#include <tuple>
#include <utility>

#include "emu/runtime.hpp"

namespace lossbench {

/// The emulator has no streams: work is done when launch() returns.
struct EmuStream {};
using Stream = EmuStream*;
inline Stream default_stream() { return nullptr; }

/// Runs kernel<<<grid, block, shared_bytes>>>(args...) on the CPU. The
/// arguments are converted to the kernel's parameter types once, as a real
/// launch copies them into the parameter space. Throws emu::EmuError for a
/// configuration a GPU refuses and for bugs the emulator finds.
template <class... Params, class... Args>
void launch(void (*kernel)(Params...), dim3 grid, dim3 block, std::size_t shared_bytes, Stream, Args&&... args) {
  static_assert(sizeof...(Params) == sizeof...(Args), "launch: wrong number of kernel arguments");
  emu::LaunchRequest request;
  request.kernel = reinterpret_cast<const void*>(kernel);
  request.kernel_name = emu::function_name(request.kernel);
  request.grid = grid;
  request.block = block;
  request.shared_bytes = shared_bytes;
  std::tuple<std::decay_t<Params>...> parameters(std::forward<Args>(args)...);
  emu::run_grid(request, [&] { std::apply(kernel, parameters); });
}

}  // namespace lossbench

enum cudaFuncAttribute { cudaFuncAttributeMaxDynamicSharedMemorySize = 8 };

/// CUDA's opt-in to more than 48 KiB of dynamic shared memory; cudaErrorInvalidValue (1) beyond the device's limit.
template <class... Params>
cudaError_t cudaFuncSetAttribute(void (*kernel)(Params...), cudaFuncAttribute attribute, int value) {
  if (attribute != cudaFuncAttributeMaxDynamicSharedMemorySize) return cudaErrorInvalidValue;
  return lossbench::emu::set_max_dynamic_shared(reinterpret_cast<const void*>(kernel), value) ? cudaSuccess
                                                                                              : cudaErrorInvalidValue;
}
