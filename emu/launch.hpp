#pragma once
// launch() for the emulator: the same call host code makes under nvcc
// (host/src/backends/launch/kernel_launch.cuh), running the grid on the CPU;
// and the CUDA runtime calls of streams and graphs that host code makes
// around it (see emu/stream_capture.hpp).
#include <cstddef>
#include <functional>
#include <tuple>
#include <utility>

#include "emu/runtime.hpp"
#include "emu/stream_capture.hpp"

namespace lossbench {

/// Work is done when launch() returns, unless the stream is being captured.
using Stream = EmuStream*;
inline Stream default_stream() { return nullptr; }

/// Runs kernel<<<grid, block, shared_bytes, stream>>>(args...) on the CPU, or
/// records it when `stream` is being captured. The arguments are converted to
/// the kernel's parameter types once, as a real launch copies them into the
/// parameter space. Throws emu::EmuError for a configuration a GPU refuses
/// and for bugs the emulator finds.
template <class... Params, class... Args>
void launch(void (*kernel)(Params...), dim3 grid, dim3 block, std::size_t shared_bytes, Stream stream,
            Args&&... args) {
  static_assert(sizeof...(Params) == sizeof...(Args), "launch: wrong number of kernel arguments");
  emu::LaunchRequest request;
  request.kernel = reinterpret_cast<const void*>(kernel);
  request.kernel_name = emu::function_name(request.kernel);
  request.grid = grid;
  request.block = block;
  request.shared_bytes = shared_bytes;
  std::tuple<std::decay_t<Params>...> parameters(std::forward<Args>(args)...);
  if (stream != nullptr && stream->capture != nullptr) {
    emu::check_launch_configuration(request);
    stream->capture->launches.emplace_back([request, kernel, parameters] {
      emu::run_grid(request, [&] { std::apply(kernel, parameters); });
    });
    return;
  }
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

// Streams and graphs, with CUDA's names, signatures and error codes for the
// misuses CUDA reports (emu/stream_capture.cpp).
using cudaStream_t = lossbench::EmuStream*;
using cudaGraph_t = lossbench::emu::Graph*;
using cudaGraphExec_t = lossbench::emu::Graph*;
enum cudaStreamCaptureMode { cudaStreamCaptureModeGlobal = 0, cudaStreamCaptureModeThreadLocal = 1,
                             cudaStreamCaptureModeRelaxed = 2 };

cudaError_t cudaStreamCreate(cudaStream_t* stream);
cudaError_t cudaStreamDestroy(cudaStream_t stream);
/// Returns at once: emulated work is done when it is launched.
cudaError_t cudaStreamSynchronize(cudaStream_t stream);
/// cudaErrorStreamCaptureUnsupported for the default stream, cudaErrorIllegalState when already capturing.
cudaError_t cudaStreamBeginCapture(cudaStream_t stream, cudaStreamCaptureMode mode);
/// cudaErrorStreamCaptureUnmatched when `stream` is not being captured.
cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t* graph);
cudaError_t cudaGraphInstantiate(cudaGraphExec_t* exec, cudaGraph_t graph, unsigned long long flags = 0);
/// Runs the recorded launches in order; throws what they throw (EmuError for
/// a bug found). cudaErrorStreamCaptureUnsupported into a stream being
/// captured: the emulator does not nest graphs.
cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t stream);
cudaError_t cudaGraphExecDestroy(cudaGraphExec_t exec);
cudaError_t cudaGraphDestroy(cudaGraph_t graph);
