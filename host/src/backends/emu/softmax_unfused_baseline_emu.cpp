// The unfused softmax cross-entropy baseline's kernels compiled by g++, run by the emulator.
#include "backends/emu/emu_backend.hpp"
#include "backends/launch/softmax_unfused_baseline_launch.cuh"

namespace lossbench::detail {

std::size_t softmax_unfused_emu_temp_bytes(std::int64_t rows) {
  return kernels::softmax_unfused_reduce_temp_bytes(rows);
}

void softmax_unfused_emu(const SoftmaxLossCall& call, const SoftmaxUnfusedBuffers& buffers, void*) {
  kernels::launch_softmax_unfused(call, buffers, lossbench::default_stream());
}

}  // namespace lossbench::detail
