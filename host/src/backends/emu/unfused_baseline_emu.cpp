// The unfused baseline's kernels compiled by g++, run by the emulator.
#include "backends/emu/emu_backend.hpp"
#include "backends/launch/unfused_baseline_launch.cuh"

namespace lossbench::detail {

std::size_t unfused_emu_temp_bytes(std::int64_t n) { return kernels::unfused_reduce_temp_bytes(n); }

void unfused_emu(const FusedLossCall& call, const UnfusedBuffers& buffers, void*) {
  kernels::launch_unfused(call, buffers, lossbench::default_stream());
}

}  // namespace lossbench::detail
