#pragma once
// Host-side launch logic of the fused training step, compiled by nvcc for the
// cuda backend and by g++ for the emulator: the same partition, parameters,
// shared-memory opt-in and template dispatch in both.
#include <cstdint>
#include <string>

#include "kernels/common/cuda_compat.cuh"
#include "backends/launch/kernel_launch.cuh"
#include "kernels/common/element_types.cuh"
#include "kernels/train/train_step.cuh"
#include "lossbench/core/error.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

template <class Loss, int K, class Stream>
void launch_train_step_for(const TrainStepCall& call, void* workspace, Stream stream) {
  const TrainStepPartition partition = train_step_partition(call.n);
  const TrainStepWorkspaceLayout layout = train_step_workspace_layout(call.n, call.d, call.k);

  TrainStepParams p;
  p.inputs = call.inputs;
  p.targets = call.targets;
  p.weights = call.weights;
  p.bias = call.bias;
  p.n = call.n;
  p.d = call.d;
  p.k = call.k;
  p.rows_per_block = partition.rows_per_block;
  // L is the mean over the batch of the per-row losses (summed over outputs).
  p.grad_multiplier = static_cast<float>(gradient_multiplier(Reduction::mean, call.n, 1.0));
  p.partials = static_cast<float*>(workspace);
  p.floats_per_block = layout.floats_per_block;
  p.loss_partials = reinterpret_cast<double*>(static_cast<char*>(workspace) + layout.loss_partials_offset);
  p.vectorized = aligned16(call.inputs);

  const auto kernel = &fused_train_step_kernel<Loss, K>;
  const std::size_t shared_bytes = train_step_shared_bytes(call.d, K);
  if (shared_bytes > 48 * 1024) {
    // Above 48 KiB a kernel must opt in; the device decides how far (227 KiB
    // on H100, 163 KiB on A100, 99 KiB on sm_86/89, 64 KiB on sm_75).
    const cudaError_t status =
        cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(shared_bytes));
#if defined(__CUDACC__)
    (void)cudaGetLastError();  // not sticky, but do not let the next launch's check report it
#endif
    check_status(status, "train_step: d = " + std::to_string(call.d) + " with k = " + std::to_string(call.k) +
                             " needs " + std::to_string(shared_bytes) +
                             " bytes of shared memory per block (X tile, W and dZ); asking the device for them");
  }
  lossbench::launch(kernel, dim3(static_cast<unsigned>(partition.blocks)), dim3(kTrainBlockThreads), shared_bytes,
                    stream, p);

  TrainStepFinalizeParams f;
  f.partials = p.partials;
  f.loss_partials = p.loss_partials;
  f.floats_per_block = layout.floats_per_block;
  f.blocks = static_cast<int>(partition.blocks);
  f.d = call.d;
  f.k = call.k;
  f.loss_multiplier = reduction_multiplier(Reduction::mean, call.n);
  f.grad_weights = call.grad_weights;
  f.grad_bias = call.grad_bias;
  f.loss_value = call.loss_value;
  const std::int64_t values = static_cast<std::int64_t>(call.d) * call.k + call.k + 1;
  const auto finalize_blocks = static_cast<unsigned>((values + kTrainBlockThreads - 1) / kTrainBlockThreads);
  lossbench::launch(&train_step_finalize_kernel, dim3(finalize_blocks), dim3(kTrainBlockThreads), 0, stream, f);
}

template <class Loss, class Stream>
void launch_train_step_loss(const TrainStepCall& call, void* workspace, Stream stream) {
  switch (train_step_output_capacity(call.k)) {
    case 1: return launch_train_step_for<Loss, 1>(call, workspace, stream);
    case 2: return launch_train_step_for<Loss, 2>(call, workspace, stream);
    case 4: return launch_train_step_for<Loss, 4>(call, workspace, stream);
    case 8: return launch_train_step_for<Loss, 8>(call, workspace, stream);
    case 10: return launch_train_step_for<Loss, 10>(call, workspace, stream);
    case 12: return launch_train_step_for<Loss, 12>(call, workspace, stream);
    case 16: return launch_train_step_for<Loss, 16>(call, workspace, stream);
    default: break;
  }
  throw InputError("train_step: k = " + std::to_string(call.k) + " is outside [1, 16]");
}

/// Launches the fused step and its finalize kernel (the call is validated already).
template <class Stream>
void launch_train_step(const TrainStepCall& call, void* workspace, Stream stream) {
  if (call.loss == Loss::mse) return launch_train_step_loss<MseLoss>(call, workspace, stream);
  return launch_train_step_loss<BceLoss>(call, workspace, stream);
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
