#pragma once
// Host-side launch logic of the fused loss kernel, compiled by nvcc for the
// cuda backend and by g++ for the emulator, so both run the same grid sizing,
// parameter set-up and template dispatch.
#include <algorithm>
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/loss/fused_loss.cuh"
#include "backends/launch/kernel_launch.cuh"
#include "backends/launch/persistent_grid.hpp"
#include "backends/launch/storage_type.hpp"
#include "lossbench/loss/fused_loss.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

template <class T>
FusedLossParams<T> make_fused_loss_params(const FusedLossCall& call, void* workspace) {
  FusedLossParams<T> p;
  p.logits = static_cast<const T*>(call.logits);
  p.targets = static_cast<const T*>(call.targets);
  p.grad = static_cast<T*>(call.grad);
  p.elementwise_loss = static_cast<T*>(call.elementwise_loss);
  p.n = call.n;
  // One rounding of grad_scale/n (computed in double) per call, one of the product per element.
  p.grad_multiplier = static_cast<float>(gradient_multiplier(call.reduction, call.n, call.grad_scale));
  p.loss_params.pos_weight = call.pos_weight;
  p.weight = static_cast<const T*>(call.weight);
  p.weight_layout = call.weight_layout;
  p.pos_weights = static_cast<const T*>(call.pos_weights);
  p.pos_weight_layout = call.pos_weight_layout;
  if (call.reduction != Reduction::none) {
    const FusedLossWorkspaceLayout layout = fused_loss_workspace_layout(call.n);
    p.tile_partials = static_cast<float*>(workspace);
    p.blocks_done = reinterpret_cast<unsigned int*>(static_cast<char*>(workspace) + layout.counter_offset);
    p.reduced_loss = call.reduced_loss;
    p.reduction_multiplier = reduction_multiplier(call.reduction, call.n);
  }
  // A weighted call takes the per-element path: its weights are read through
  // the broadcast, one element at a time (coalesced when the weight has the
  // input's shape, from cache when it is broadcast).
  p.vectorized = aligned16(p.logits) && aligned16(p.targets) && aligned16(p.grad) &&
                 aligned16(p.elementwise_loss) && p.weight == nullptr && p.pos_weights == nullptr;
  return p;
}

// `capacity_of(kernel)` returns the DeviceCapacity for that kernel: from the
// occupancy API on a GPU, a fixed pretend device in the emulator.
template <class Loss, class T, bool kWriteGrad, bool kWriteElementLoss, bool kReduce, class Stream, class CapacityOf>
void launch_fused_loss_variant(const FusedLossParams<T>& params, Stream stream, CapacityOf&& capacity_of) {
  const auto kernel = &fused_loss_kernel<Loss, T, kWriteGrad, kWriteElementLoss, kReduce>;
  const unsigned int grid = persistent_grid_size(tile_count(params.n), capacity_of(kernel));
  lossbench::launch(kernel, dim3(grid), dim3(kBlockThreads), 0, stream, params);
}

template <class Loss, class T, class Stream, class CapacityOf>
void launch_fused_loss_for(const FusedLossCall& call, void* workspace, Stream stream, CapacityOf&& capacity_of) {
  const FusedLossParams<T> p = make_fused_loss_params<T>(call, workspace);
  const bool grad = call.grad != nullptr;
  if (call.reduction == Reduction::none) {
    const bool element_loss = call.elementwise_loss != nullptr;
    if (grad && element_loss) return launch_fused_loss_variant<Loss, T, true, true, false>(p, stream, capacity_of);
    if (grad) return launch_fused_loss_variant<Loss, T, true, false, false>(p, stream, capacity_of);
    if (element_loss) return launch_fused_loss_variant<Loss, T, false, true, false>(p, stream, capacity_of);
    return;  // reduction none with neither output: nothing to compute
  }
  if (grad) return launch_fused_loss_variant<Loss, T, true, false, true>(p, stream, capacity_of);
  return launch_fused_loss_variant<Loss, T, false, false, true>(p, stream, capacity_of);
}

/// Launches the variant of the kernel that `call` needs (validated already).
template <class Stream, class CapacityOf>
void launch_fused_loss(const FusedLossCall& call, void* workspace, Stream stream, CapacityOf&& capacity_of) {
  with_storage_type(call.dtype, [&]<class T>() {
    if (call.loss == Loss::bce) return launch_fused_loss_for<BceLoss, T>(call, workspace, stream, capacity_of);
    if (call.activation == Activation::identity) {
      return launch_fused_loss_for<IdentityMseLoss, T>(call, workspace, stream, capacity_of);
    }
    return launch_fused_loss_for<MseLoss, T>(call, workspace, stream, capacity_of);
  });
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
