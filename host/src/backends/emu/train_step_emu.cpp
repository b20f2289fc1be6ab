// The emu backend of train_step(): the same kernels and launcher as the cuda
// backend, compiled by g++ and run by the SIMT emulator on host memory.
#include "backends/emu/emu_backend.hpp"
#include "backends/launch/train_step_launch.cuh"

namespace lossbench::detail {

void train_step_emu(const TrainStepCall& call, void* workspace, void*) {
  kernels::launch_train_step(call, workspace, lossbench::default_stream());
}

}  // namespace lossbench::detail
