#pragma once
// Recording a sequence of launches once and replaying it, from one source for
// both worlds: CUDA stream capture and CUDA Graphs under nvcc, the
// emulator's replay lists otherwise (emu/stream_capture.hpp), which implement
// the same runtime calls. The trainer records an epoch's steps this way, so a
// step costs the GPU its kernels and nothing of the host (no per-launch CPU
// overhead, no synchronisation).
//
// The functions are those of BackendEntry::sequences (backend_table.hpp);
// each throws BackendError naming CUDA's error.
#include <string>

#include "backends/launch/kernel_launch.cuh"
#include "kernels/common/cuda_compat.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// A stream of its own: the legacy default stream cannot be captured. A
/// blocking stream, so that the synchronous copies of BackendMemory, on the
/// default stream, stay ordered with its work.
inline void* create_capture_stream() {
  cudaStream_t stream = nullptr;
  check_status(cudaStreamCreate(&stream), "creating a stream");
  return stream;
}

inline void destroy_capture_stream(void* stream) noexcept { (void)cudaStreamDestroy(static_cast<cudaStream_t>(stream)); }

inline void begin_capture(void* stream) {
  // Thread-local mode: other threads' unsafe calls (a cudaMalloc elsewhere) do
  // not invalidate this capture, and this thread must make none meanwhile.
  check_status(cudaStreamBeginCapture(static_cast<cudaStream_t>(stream), cudaStreamCaptureModeThreadLocal),
               "beginning to capture a stream");
}

/// The captured launches, instantiated and ready to replay.
inline void* end_capture(void* stream) {
  cudaGraph_t graph = nullptr;
  check_status(cudaStreamEndCapture(static_cast<cudaStream_t>(stream), &graph), "ending a stream capture");
  cudaGraphExec_t exec = nullptr;
  const cudaError_t status = cudaGraphInstantiate(&exec, graph, 0);
  (void)cudaGraphDestroy(graph);  // the executable graph is independent of it
  check_status(status, "instantiating a captured graph");
  return exec;
}

inline void replay(void* sequence, void* stream) {
  check_status(cudaGraphLaunch(static_cast<cudaGraphExec_t>(sequence), static_cast<cudaStream_t>(stream)),
               "replaying a captured graph");
}

inline void destroy_sequence(void* sequence) noexcept {
  (void)cudaGraphExecDestroy(static_cast<cudaGraphExec_t>(sequence));
}

inline void synchronize_stream(void* stream) {
  check_status(cudaStreamSynchronize(static_cast<cudaStream_t>(stream)), "waiting for a stream");
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
