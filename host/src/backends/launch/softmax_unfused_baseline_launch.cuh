#pragma once
// Host-side launch of the unfused softmax cross-entropy baseline
// (kernels/loss/softmax_unfused_baseline.cuh), compiled by nvcc for the cuda
// backend and by g++ for the emulator.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "backends/launch/kernel_launch.cuh"
#include "backends/launch/storage_type.hpp"
#include "kernels/loss/softmax_count_rows.cuh"
#include "kernels/loss/softmax_unfused_baseline.cuh"
#include "kernels/loss/softmax_unfused_baseline_buffers.hpp"
#include "lossbench/loss/softmax_loss.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// Bytes of cub::DeviceReduce temporary storage for the per-row losses.
inline std::size_t softmax_unfused_reduce_temp_bytes(std::int64_t rows) {
  std::size_t bytes = 0;
  cub::DeviceReduce::Sum(nullptr, bytes, static_cast<const float*>(nullptr), static_cast<float*>(nullptr), rows);
  return bytes;
}

// Blocks for `items` work items of `per_block` each, capped as eager
// frameworks cap theirs; the kernels grid-stride over the rest.
inline dim3 softmax_unfused_grid(std::int64_t items, std::int64_t per_block) {
  return dim3(static_cast<unsigned>(std::clamp<std::int64_t>((items + per_block - 1) / per_block, 1, 65535)));
}

template <int kTeam, class T, class Label, class Stream>
void launch_softmax_unfused_for(const SoftmaxLossCall& call, const SoftmaxUnfusedIntermediates& m, Stream stream) {
  const auto* z = static_cast<const T*>(call.logits);
  const auto* labels = static_cast<const Label*>(call.targets);
  auto* log_p = static_cast<T*>(m.log_probs);
  const dim3 block(kSoftmaxUnfusedBlockThreads);
  const dim3 row_grid = softmax_unfused_grid(call.rows, kSoftmaxUnfusedBlockThreads / kTeam);
  const dim3 per_row_grid = softmax_unfused_grid(call.rows, kSoftmaxUnfusedBlockThreads);
  launch(&log_softmax_rows_kernel<kTeam, T>, row_grid, block, 0, stream, z, log_p, call.rows, call.classes);
  launch(&nll_gather_kernel<T, Label>, per_row_grid, block, 0, stream, static_cast<const T*>(log_p), labels,
         m.row_loss, call.rows, call.classes, call.ignore_index);
  launch(&softmax_count_rows_kernel<const Label*>, per_row_grid, dim3(kSoftmaxCountBlockThreads), 0, stream, labels,
         call.rows, call.ignore_index, m.counted);
  std::size_t temp_bytes = m.reduce_temp_bytes;
  check_status(cub::DeviceReduce::Sum(m.reduce_temp, temp_bytes, static_cast<const float*>(m.row_loss), m.loss_sum,
                                      call.rows, stream),
               "cub::DeviceReduce::Sum in the unfused softmax baseline");
  launch(&nll_mean_kernel, dim3(1), dim3(1), 0, stream, static_cast<const float*>(m.loss_sum), m.counted,
         call.reduced_loss, m.grad_multiplier, call.grad_scale);
  if (call.grad != nullptr) {
    launch(&nll_softmax_backward_kernel<kTeam, T, Label>, row_grid, block, 0, stream, static_cast<const T*>(log_p),
           labels, static_cast<const float*>(m.grad_multiplier), static_cast<T*>(call.grad), call.rows, call.classes,
           call.ignore_index);
  }
}

/// Runs the baseline for a validated cross-entropy call with int64 class
/// indices and reduction mean (SoftmaxUnfusedBaseline checks that).
template <class Stream>
void launch_softmax_unfused(const SoftmaxLossCall& call, const SoftmaxUnfusedIntermediates& m, Stream stream) {
  with_storage_type(call.dtype, [&]<class T>() {
    if (call.classes <= kSoftmaxUnfusedWarpRowMaxClasses) {
      return launch_softmax_unfused_for<32, T, std::int64_t>(call, m, stream);
    }
    return launch_softmax_unfused_for<kSoftmaxUnfusedBlockThreads, T, std::int64_t>(call, m, stream);
  });
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
