// The emu backend of softmax_loss(): the same kernels and launcher as the
// cuda backend, compiled by g++ and run by the SIMT emulator on host memory.
#include "backends/emu/emu_backend.hpp"
#include "backends/launch/softmax_loss_launch.cuh"

namespace lossbench::detail {

void softmax_loss_emu(const SoftmaxLossCall& call, void* workspace, void*) {
  // The pretend device of fused_loss_emu: up to 8 resident blocks, so that
  // several blocks share the tiles and the last-block reduction is exercised.
  const auto capacity_of = [](auto...) { return kernels::DeviceCapacity{4, 2}; };
  kernels::launch_softmax_loss(call, workspace, lossbench::default_stream(), capacity_of);
}

}  // namespace lossbench::detail
