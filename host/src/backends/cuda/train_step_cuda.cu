// The cuda backend of train_step() and evaluate(): the fused step and the evaluation on the GPU through the
// same launcher the emulator runs, with an NVTX range per call.
#include <nvtx3/nvtx3.hpp>

#include "backends/cuda/cuda_backend.hpp"
#include "backends/launch/train_step_launch.cuh"

namespace lossbench::detail {

void train_step_cuda(const TrainStepCall& call, void* workspace, void* stream) {
  const nvtx3::scoped_range range{"lossbench::train_step"};
  kernels::launch_train_step(call, workspace, static_cast<cudaStream_t>(stream));
}

void evaluate_cuda(const EvaluateCall& call, void* workspace, void* stream) {
  const nvtx3::scoped_range range{"lossbench::evaluate"};
  kernels::launch_evaluate(call, workspace, static_cast<cudaStream_t>(stream));
}

}  // namespace lossbench::detail
