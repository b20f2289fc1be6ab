#pragma once
// Host-side launch of the unfused baseline (kernels/loss/unfused_baseline.cuh),
// compiled by nvcc for the cuda backend and by g++ for the emulator.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "backends/launch/kernel_launch.cuh"
#include "backends/launch/storage_type.hpp"
#include "kernels/loss/unfused_baseline.cuh"
#include "kernels/loss/unfused_baseline_buffers.hpp"
#include "lossbench/loss/fused_loss.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// Bytes of cub::DeviceReduce temporary storage for n floats.
inline std::size_t unfused_reduce_temp_bytes(std::int64_t n) {
  std::size_t bytes = 0;
  cub::DeviceReduce::Sum(nullptr, bytes, static_cast<const float*>(nullptr), static_cast<float*>(nullptr), n);
  return bytes;
}

// One thread per element up to 4096 blocks, then grid-stride, as eager
// frameworks' elementwise kernels do.
inline dim3 elementwise_grid(std::int64_t n) {
  return dim3(static_cast<unsigned>(std::clamp<std::int64_t>((n + 255) / 256, 1, 4096)));
}

// kSigmoid: a = σ(z) in the probabilities buffer; otherwise a is z itself.
template <class Loss, bool kSigmoid, class T, class Stream>
void launch_unfused_for(const FusedLossCall& call, const UnfusedIntermediates& m, Stream stream) {
  const auto* z = static_cast<const T*>(call.logits);
  const auto* y = static_cast<const T*>(call.targets);
  const dim3 grid = elementwise_grid(call.n);
  const dim3 block(256);
  const T* a = z;
  if constexpr (kSigmoid) {
    launch(&sigmoid_kernel<T>, grid, block, 0, stream, z, static_cast<T*>(m.probabilities), call.n);
    a = static_cast<const T*>(m.probabilities);
  }
  launch(&loss_from_output_kernel<Loss, T>, grid, block, 0, stream, a, y, m.elementwise_loss, call.n);
  std::size_t temp_bytes = m.reduce_temp_bytes;
  check_status(cub::DeviceReduce::Sum(m.reduce_temp, temp_bytes, static_cast<const float*>(m.elementwise_loss), m.sum,
                                      call.n, stream),
               "cub::DeviceReduce::Sum in the unfused baseline");
  launch(&scale_kernel, dim3(1), dim3(1), 0, stream, static_cast<const float*>(m.sum), call.reduced_loss,
         reduction_multiplier(call.reduction, call.n));
  if (call.grad != nullptr) {
    launch(&grad_from_output_kernel<Loss, T>, grid, block, 0, stream, a, y,
           static_cast<T*>(call.grad), call.n,
           static_cast<float>(gradient_multiplier(call.reduction, call.n, call.grad_scale)));
  }
}

/// Runs the baseline for a validated mean or sum call.
template <class Stream>
void launch_unfused(const FusedLossCall& call, const UnfusedIntermediates& m, Stream stream) {
  with_storage_type(call.dtype, [&]<class T>() {
    if (call.loss == Loss::bce) return launch_unfused_for<BceFromOutput, true, T>(call, m, stream);
    if (call.activation == Activation::identity) {
      return launch_unfused_for<IdentityMseFromOutput, false, T>(call, m, stream);
    }
    return launch_unfused_for<MseFromOutput, true, T>(call, m, stream);
  });
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
