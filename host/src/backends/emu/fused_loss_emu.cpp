// The emu backend: the same kernels and launcher as the cuda backend,
// compiled by g++ and run by the SIMT emulator on host memory.
#include "backends/emu/emu_backend.hpp"
#include "backends/launch/fused_loss_launch.cuh"

namespace lossbench::detail {

void fused_loss_emu(const FusedLossCall& call, void* workspace, void*) {
  // A pretend device of 4 SMs × 2 resident blocks: a persistent grid of up to
  // 8 blocks, enough that several blocks share the tiles and the last-block
  // reduction is exercised, few enough to keep emulation fast.
  const auto capacity_of = [](auto) { return kernels::DeviceCapacity{4, 2}; };
  kernels::launch_fused_loss(call, workspace, lossbench::default_stream(), capacity_of);
}

}  // namespace lossbench::detail
