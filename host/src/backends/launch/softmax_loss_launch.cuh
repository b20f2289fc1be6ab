#pragma once
// Host-side launch logic of softmax_loss(), compiled by nvcc for the cuda
// backend and by g++ for the emulator: from a validated SoftmaxLossCall to
// SoftmaxRowsParams (PyTorch's reductions as divisors and multipliers), the
// count of rows not ignored (or the sum of their class weights) where the
// mean needs it, then the kernel for the
// row length (softmax_kernel_for: several rows per warp, a warp per row, a
// block per row).
#include <cstddef>
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/loss/softmax_count_rows.cuh"
#include "kernels/loss/softmax_loss_tiling.hpp"
#include "kernels/loss/softmax_rows_common.cuh"
#include "backends/launch/kernel_launch.cuh"
#include "backends/launch/persistent_grid.hpp"
#include "backends/launch/softmax_block_rows_launch.cuh"
#include "backends/launch/softmax_small_rows_launch.cuh"
#include "backends/launch/softmax_warp_rows_launch.cuh"
#include "backends/launch/storage_type.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/loss/softmax_loss.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// What the reduction divides the summed loss by: PyTorch's meaning of each
/// reduction (softmax_loss.hpp), a fixed number or the rows not ignored
/// (known only on the device for class indices).
struct SoftmaxDivisor {
  bool by_count = false;
  double fixed = 1.0;
};

inline SoftmaxDivisor softmax_divisor(const SoftmaxLossCall& call) {
  const auto rows = static_cast<double>(call.rows);
  switch (call.reduction) {
    case SoftmaxReduction::none:
    case SoftmaxReduction::sum: return {};
    case SoftmaxReduction::batchmean: return {false, rows};
    case SoftmaxReduction::mean: break;
  }
  if (call.loss == SoftmaxLoss::kl) return {false, rows * static_cast<double>(call.classes)};
  if (call.targets_kind == SoftmaxTargets::probabilities) return {false, rows};
  return {true, 1.0};
}

/// The call's class indices, of the width its targets_kind names.
inline ClassIndices softmax_class_indices(const SoftmaxLossCall& call) {
  if (call.targets_kind == SoftmaxTargets::class_index_i32) return static_cast<const std::int32_t*>(call.targets);
  return static_cast<const std::int64_t*>(call.targets);
}

template <class T, class Target>
SoftmaxRowsParams<T, Target> make_softmax_rows_params(const SoftmaxLossCall& call, void* workspace) {
  constexpr bool kSoft = kSoftTargets<Target>;
  SoftmaxRowsParams<T, Target> p;
  p.logits = static_cast<const T*>(call.logits);
  if constexpr (kSoft) {
    p.targets = static_cast<const T*>(call.targets);
  } else {
    p.targets = softmax_class_indices(call);
  }
  p.grad = static_cast<T*>(call.grad);
  T* unreduced = static_cast<T*>(call.unreduced_loss);
  (call.loss == SoftmaxLoss::kl ? p.element_loss : p.row_loss) = unreduced;
  p.row_entropy = static_cast<T*>(call.entropy);
  p.rows = call.rows;
  p.classes = call.rows == 0 && call.classes == 0 ? 1 : call.classes;  // no rows: any width writes the reduction
  p.ignore_index = call.ignore_index;
  if constexpr (kSoft) {
    p.soft_smoothing = call.label_smoothing;
    p.kl = call.loss == SoftmaxLoss::kl;
  } else {
    p.ce = {call.label_smoothing, call.z_loss};
  }
  p.class_weight = static_cast<const T*>(call.class_weight);
  if (!kSoft && call.label_smoothing != 0.0f) p.smoothing_weight = p.class_weight;

  auto* bytes = static_cast<unsigned char*>(workspace);
  const SoftmaxWorkspaceLayout layout = softmax_workspace_layout(call.rows, call.classes);
  const SoftmaxDivisor divisor = softmax_divisor(call);
  // One rounding of grad_scale ÷ the divisor, in double (÷ the count on the device).
  p.grad_multiplier = static_cast<float>(static_cast<double>(call.grad_scale) / divisor.fixed);
  if (divisor.by_count) p.grad_count = reinterpret_cast<std::int64_t*>(bytes + layout.grad_count_offset);
  if (divisor.by_count && p.class_weight != nullptr) {
    p.weight_sum = reinterpret_cast<const double*>(bytes + layout.weight_sum_offset);
  }
  if (call.reduced_loss != nullptr || call.counted_rows != nullptr) {
    p.loss_divisor = divisor.fixed;
    p.loss_divide_by_count = divisor.by_count;
    p.tile_loss = reinterpret_cast<float*>(bytes);
    p.tile_count = reinterpret_cast<std::int32_t*>(bytes + layout.count_offset);
    p.blocks_done = reinterpret_cast<unsigned int*>(bytes + layout.counter_offset);
    p.reduced_loss = call.reduced_loss != nullptr ? call.reduced_loss
                                                   : reinterpret_cast<double*>(bytes + layout.scratch_loss_offset);
    p.counted_rows = call.counted_rows;
  }
  return p;
}

/// The count of labels not ignored into *p.grad_count, before the loss kernel reads it.
template <class T, class Stream, class CapacityOf>
void launch_softmax_count_rows(const SoftmaxRowsParams<T, ClassIndices>& p, Stream stream, CapacityOf&& capacity_of) {
  const auto kernel = &softmax_count_rows_kernel<ClassIndices>;
  const std::int64_t blocks = (p.rows + kSoftmaxCountBlockThreads - 1) / kSoftmaxCountBlockThreads;
  const unsigned int grid = persistent_grid_size(blocks, capacity_of(kernel, kSoftmaxCountBlockThreads, 0));
  lossbench::launch(kernel, dim3(grid), dim3(kSoftmaxCountBlockThreads), 0, stream, p.targets, p.rows,
                    p.ignore_index, reinterpret_cast<unsigned long long*>(p.grad_count));
}

/// Σ w_t of the labels not ignored into the workspace's weight_sum slot,
/// before the loss kernel reads it (softmax_weigh_rows_kernel).
template <class T, class Stream, class CapacityOf>
void launch_softmax_weigh_rows(const SoftmaxRowsParams<T, ClassIndices>& p, void* workspace, Stream stream,
                               CapacityOf&& capacity_of) {
  const auto kernel = &softmax_weigh_rows_kernel<T>;
  auto* bytes = static_cast<unsigned char*>(workspace);
  const SoftmaxWorkspaceLayout layout = softmax_workspace_layout(p.rows, p.classes);
  const unsigned int grid =
      persistent_grid_size(softmax_weight_tile_count(p.rows), capacity_of(kernel, kSoftmaxCountBlockThreads, 0));
  lossbench::launch(kernel, dim3(grid), dim3(kSoftmaxCountBlockThreads), 0, stream, p.targets, p.class_weight,
                    p.rows, p.classes, p.ignore_index, reinterpret_cast<double*>(bytes + layout.weight_tiles_offset),
                    reinterpret_cast<unsigned int*>(bytes + layout.weight_counter_offset),
                    reinterpret_cast<double*>(bytes + layout.weight_sum_offset));
}

template <class T, class Target, class Stream, class CapacityOf>
void launch_softmax_loss_for(const SoftmaxLossCall& call, void* workspace, Stream stream, CapacityOf&& capacity_of) {
  const SoftmaxRowsParams<T, Target> p = make_softmax_rows_params<T, Target>(call, workspace);
  if constexpr (!kSoftTargets<Target>) {
    if (p.weight_sum != nullptr) {
      launch_softmax_weigh_rows(p, workspace, stream, capacity_of);
    } else if (p.grad_count != nullptr) {
      launch_softmax_count_rows(p, stream, capacity_of);
    }
  }
  switch (softmax_kernel_for(p.classes).kernel) {
    case SoftmaxRowsKernel::small_rows: return launch_softmax_small_rows(p, stream, capacity_of);
    case SoftmaxRowsKernel::warp_rows: return launch_softmax_warp_rows(p, stream, capacity_of);
    case SoftmaxRowsKernel::block_rows: return launch_softmax_block_rows(p, stream, capacity_of);
  }
}

/// Launches what a validated `call` needs. `capacity_of(kernel,
/// block_threads, dynamic_shared_bytes)`: the DeviceCapacity for a kernel
/// (occupancy API on a GPU, a fixed pretend device in the emulator).
template <class Stream, class CapacityOf>
void launch_softmax_loss(const SoftmaxLossCall& call, void* workspace, Stream stream, CapacityOf&& capacity_of) {
  with_storage_type(call.dtype, [&]<class T>() {
    switch (call.targets_kind) {
      case SoftmaxTargets::class_index_i32:  // either width: one kernel (class_indices.cuh)
      case SoftmaxTargets::class_index_i64:
        return launch_softmax_loss_for<T, ClassIndices>(call, workspace, stream, capacity_of);
      case SoftmaxTargets::probabilities: return launch_softmax_loss_for<T, T>(call, workspace, stream, capacity_of);
    }
  });
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
