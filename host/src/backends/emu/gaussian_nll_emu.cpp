// The emu backend of gaussian_nll(): the same kernel and launcher as the cuda
// backend, compiled by g++ and run by the SIMT emulator on host memory.
#include "backends/emu/emu_backend.hpp"
#include "backends/launch/gaussian_nll_launch.cuh"

namespace lossbench::detail {

void gaussian_nll_emu(const GaussianNllCall& call, void* workspace, void*) {
  // The pretend device of fused_loss_emu.cpp, 4 SMs × 2 resident blocks: up
  // to 8 blocks share the tiles, so the last-block reduction is exercised.
  const auto capacity_of = [](auto) { return kernels::DeviceCapacity{4, 2}; };
  kernels::launch_gaussian_nll(call, workspace, lossbench::default_stream(), capacity_of);
}

}  // namespace lossbench::detail
