#pragma once
// Host-side launch logic of the fused training step and of the evaluation
// kernel, compiled by nvcc for the cuda backend and by g++ for the emulator:
// the same partition, parameters, shared-memory opt-in and template dispatch
// in both.
#include <cstdint>
#include <string>

#include "backends/launch/kernel_launch.cuh"
#include "kernels/common/cuda_compat.cuh"
#include "kernels/common/element_types.cuh"
#include "kernels/train/evaluate.cuh"
#include "kernels/train/train_step.cuh"
#include "lossbench/core/error.hpp"
#include "lossbench/train/evaluate.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// Launches one of the tiled kernels (the step's, the evaluation's) over the
/// blocks of train_step_partition(n), with the shared memory its tiles of d
/// inputs and output capacity K take. Above 48 KiB a kernel must opt in; the
/// device decides how far (227 KiB on H100, 163 KiB on A100, 99 KiB on
/// sm_86/89, 64 KiB on sm_75). A refusal is a BackendError naming the bytes.
template <int K, class Params, class Stream>
void launch_tiled(void (*kernel)(Params), std::int64_t n, int d, int k, Stream stream, const Params& params,
                  const char* what) {
  const std::size_t shared_bytes = train_step_shared_bytes(d, K);
  if (shared_bytes > 48 * 1024) {
    const cudaError_t status =
        cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(shared_bytes));
#if defined(__CUDACC__)
    (void)cudaGetLastError();  // not sticky, but do not let the next launch's check report it
#endif
    check_status(status, std::string(what) + ": d = " + std::to_string(d) + " with k = " + std::to_string(k) +
                             " needs " + std::to_string(shared_bytes) +
                             " bytes of shared memory per block (X tile, W and dZ); asking the device for them");
  }
  const auto blocks = static_cast<unsigned>(train_step_partition(n).blocks);
  lossbench::launch(kernel, dim3(blocks), dim3(kTrainBlockThreads), shared_bytes, stream, params);
}

/// Whether every row of X starts at a boundary of the kernel's 4-element
/// packs (see stage_rows): contiguous float rows only need X 16-byte aligned.
inline bool inputs_vectorized(const void* inputs, InputType type, int d, bool gathered) {
  if (type == InputType::f32 && !gathered) return aligned16(inputs);
  const std::size_t pack_bytes = type == InputType::f32 ? 16 : 4;
  return d % 4 == 0 && reinterpret_cast<std::uintptr_t>(inputs) % pack_bytes == 0;
}

/// The parameters the step's and evaluation's kernels share.
inline TrainStepParams forward_params(const void* inputs, InputType type, const float* targets, const float* weights,
                                      const float* bias, std::int64_t n, int d, int k, bool gathered) {
  TrainStepParams p;
  p.inputs = inputs;
  p.targets = targets;
  p.weights = weights;
  p.bias = bias;
  p.n = n;
  p.d = d;
  p.k = k;
  p.rows_per_block = train_step_partition(n).rows_per_block;
  p.vectorized = inputs_vectorized(inputs, type, d, gathered);
  return p;
}

template <class Loss, int K, class X, class Stream>
void launch_train_step_for(const TrainStepCall& call, void* workspace, Stream stream) {
  const TrainStepPartition partition = train_step_partition(call.n);
  const TrainStepWorkspaceLayout layout = train_step_workspace_layout(call.n, call.d, call.k);

  TrainStepParams p = forward_params(call.inputs, call.input_type, call.targets, call.weights, call.bias, call.n,
                                     call.d, call.k, call.row_indices != nullptr);
  p.row_indices = call.row_indices;
  p.step = call.step;
  p.step_rows = call.step_rows;
  // L is the mean over the batch of the per-row losses (summed over outputs, or softmax-ce's).
  p.grad_multiplier = static_cast<float>(gradient_multiplier(Reduction::mean, call.n, 1.0));
  p.partials = static_cast<float*>(workspace);
  p.floats_per_block = layout.floats_per_block;
  p.loss_partials = reinterpret_cast<double*>(static_cast<char*>(workspace) + layout.loss_partials_offset);
  if (call.learning_rates != nullptr) {
    p.learning_rates = call.learning_rates;
    p.step_learning_rate = reinterpret_cast<float*>(static_cast<char*>(workspace) + layout.learning_rate_offset);
  }

  launch_tiled<K>(&fused_train_step_kernel<Loss, K, X>, call.n, call.d, call.k, stream, p, "train_step");

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
  f.learning_rate = call.learning_rate;
  f.step_learning_rate = p.step_learning_rate;
  f.weights = call.weights;
  f.bias = call.bias;
  f.loss_value = call.loss_value;
  f.step = call.step;
  const std::int64_t values = static_cast<std::int64_t>(call.d) * call.k + call.k + 1;
  const auto finalize_blocks = static_cast<unsigned>((values + kTrainBlockThreads - 1) / kTrainBlockThreads);
  lossbench::launch(&train_step_finalize_kernel, dim3(finalize_blocks), dim3(kTrainBlockThreads), 0, stream, f);
}

template <class Loss, int K, class X, class Stream>
void launch_evaluate_for(const EvaluateCall& call, void* workspace, Stream stream) {
  const TrainStepPartition partition = train_step_partition(call.n);
  const EvaluateWorkspaceLayout layout = evaluate_workspace_layout(call.n);
  EvaluateParams e;
  e.step = forward_params(call.inputs, call.input_type, call.targets, call.weights, call.bias, call.n, call.d, call.k,
                          false);
  e.step.loss_partials = static_cast<double*>(workspace);
  e.correct_partials = static_cast<double*>(workspace) + layout.blocks;

  launch_tiled<K>(&evaluate_kernel<Loss, K, X>, call.n, call.d, call.k, stream, e, "evaluate");

  EvaluateFinalizeParams f;
  f.loss_partials = e.step.loss_partials;
  f.correct_partials = e.correct_partials;
  f.blocks = static_cast<int>(partition.blocks);
  f.loss_multiplier = reduction_multiplier(Reduction::mean, call.n);
  f.loss_value = call.loss_value;
  f.correct = call.correct;
  lossbench::launch(&evaluate_finalize_kernel, dim3(1), dim3(32), 0, stream, f);
}

/// Calls `launch.template operator()<Loss, K, X>()` for the call's loss, output
/// capacity and input type: the one place the kernels' variants are listed.
template <class Launch>
void dispatch_train_kernel(Loss loss, int k, InputType input_type, const Launch& launch) {
  const auto with_input = [&]<class L, int K>() {
    if (input_type == InputType::u8) return launch.template operator()<L, K, std::uint8_t>();
    return launch.template operator()<L, K, float>();
  };
  const auto with_capacity = [&]<class L>() {
    switch (train_step_output_capacity(k)) {
      case 1: return with_input.template operator()<L, 1>();
      case 2: return with_input.template operator()<L, 2>();
      case 4: return with_input.template operator()<L, 4>();
      case 8: return with_input.template operator()<L, 8>();
      case 10: return with_input.template operator()<L, 10>();
      case 12: return with_input.template operator()<L, 12>();
      case 16: return with_input.template operator()<L, 16>();
      default: break;
    }
    throw InputError("train_step: k = " + std::to_string(k) + " is outside [1, 16]");
  };
  switch (loss) {
    case Loss::mse: return with_capacity.template operator()<MseLoss>();
    case Loss::bce: return with_capacity.template operator()<BceLoss>();
    case Loss::softmax_ce: return with_capacity.template operator()<SoftmaxCeRows>();
  }
  throw InputError("train_step: unknown loss value " + std::to_string(static_cast<int>(loss)));
}

/// Launches the fused step and its finalize kernel (the call is validated already).
template <class Stream>
void launch_train_step(const TrainStepCall& call, void* workspace, Stream stream) {
  dispatch_train_kernel(call.loss, call.k, call.input_type, [&]<class L, int K, class X>() {
    launch_train_step_for<L, K, X>(call, workspace, stream);
  });
}

/// Launches the evaluation and its finalize kernel (the call is validated already).
template <class Stream>
void launch_evaluate(const EvaluateCall& call, void* workspace, Stream stream) {
  dispatch_train_kernel(call.loss, call.k, call.input_type, [&]<class L, int K, class X>() {
    launch_evaluate_for<L, K, X>(call, workspace, stream);
  });
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
