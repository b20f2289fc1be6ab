// The emu backend of train_step() and evaluate(): the same kernels and launcher as the cuda
// backend, compiled by g++ and run by the SIMT emulator on host memory.
#include "backends/emu/emu_backend.hpp"
#include "backends/launch/train_step_launch.cuh"

namespace lossbench::detail {

void train_step_emu(const TrainStepCall& call, void* workspace, void* stream) {
  kernels::launch_train_step(call, workspace, static_cast<lossbench::Stream>(stream));
}

void evaluate_emu(const EvaluateCall& call, void* workspace, void* stream) {
  kernels::launch_evaluate(call, workspace, static_cast<lossbench::Stream>(stream));
}

}  // namespace lossbench::detail
