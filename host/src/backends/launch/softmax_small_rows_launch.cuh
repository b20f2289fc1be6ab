#pragma once
// Host-side launch of the small-V softmax kernel
// (kernels/loss/softmax_small_rows.cuh), compiled by nvcc for the cuda
// backend and by g++ for the emulator: the grid size and the template
// dispatch on the classes and KL (the entropy output and the labels' width
// are the kernel's run-time choices). The caller (softmax_loss_launch.cuh)
// fills SoftmaxRowsParams.
#include <bit>
#include <cstdint>
#include <string>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/loss/softmax_small_rows.cuh"
#include "backends/launch/kernel_launch.cuh"
#include "backends/launch/persistent_grid.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

template <int kLanes, bool kKl, class T, class Target, class Stream, class CapacityOf>
void launch_softmax_small_rows_variant(const SoftmaxRowsParams<T, Target>& p, Stream stream,
                                       CapacityOf&& capacity_of) {
  const auto kernel = &softmax_small_rows_kernel<kLanes, kKl, T, Target>;
  const unsigned int grid = persistent_grid_size(softmax_small_rows_tile_count(p.rows), capacity_of(kernel, kSoftmaxSmallRowsBlockThreads, 0));
  lossbench::launch(kernel, dim3(grid), dim3(kSoftmaxSmallRowsBlockThreads), 0, stream, p);
}

template <int kLanes, class T, class Target, class Stream, class CapacityOf>
void launch_softmax_small_rows_lanes(const SoftmaxRowsParams<T, Target>& p, Stream stream, CapacityOf&& capacity_of) {
  if constexpr (kSoftTargets<Target>) {
    if (p.kl) return launch_softmax_small_rows_variant<kLanes, true>(p, stream, capacity_of);
  }
  return launch_softmax_small_rows_variant<kLanes, false>(p, stream, capacity_of);
}

/// Launches the kernel for p.classes in [1, 32] (InputError otherwise).
/// `capacity_of(kernel, block_threads, dynamic_shared_bytes)`: the
/// DeviceCapacity for that kernel, from the occupancy API on a GPU, a fixed
/// pretend device in the emulator.
template <class T, class Target, class Stream, class CapacityOf>
void launch_softmax_small_rows(const SoftmaxRowsParams<T, Target>& p, Stream stream, CapacityOf&& capacity_of) {
  if (p.classes < 1 || p.classes > kSoftmaxSmallRowsMaxClasses) {
    throw InputError("softmax small-rows kernel: " + std::to_string(p.classes) + " classes, outside [1, " +
                     std::to_string(kSoftmaxSmallRowsMaxClasses) + "]");
  }
  if (p.kl && !kSoftTargets<Target>) throw InputError("softmax small-rows kernel: kl takes probability rows");
  switch (std::bit_ceil(static_cast<unsigned>(p.classes))) {
    case 1: return launch_softmax_small_rows_lanes<1>(p, stream, capacity_of);
    case 2: return launch_softmax_small_rows_lanes<2>(p, stream, capacity_of);
    case 4: return launch_softmax_small_rows_lanes<4>(p, stream, capacity_of);
    case 8: return launch_softmax_small_rows_lanes<8>(p, stream, capacity_of);
    case 16: return launch_softmax_small_rows_lanes<16>(p, stream, capacity_of);
    default: return launch_softmax_small_rows_lanes<32>(p, stream, capacity_of);
  }
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
