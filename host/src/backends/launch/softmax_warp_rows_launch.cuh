#pragma once
// Host-side launch of the warp-per-row softmax kernel
// (kernels/loss/softmax_warp_rows.cuh) for 32 < V ≤ 1024, compiled by nvcc
// for the cuda backend and by g++ for the emulator: the grid size and the
// template dispatch on the logits per lane and KL. The caller
// (softmax_loss_launch.cuh) fills SoftmaxRowsParams.
#include <cstdint>
#include <string>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/loss/softmax_warp_rows.cuh"
#include "backends/launch/kernel_launch.cuh"
#include "backends/launch/persistent_grid.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

template <int kItems, bool kKl, class T, class Target, class Stream, class CapacityOf>
void launch_softmax_warp_rows_variant(const SoftmaxRowsParams<T, Target>& p, Stream stream, CapacityOf&& capacity_of) {
  const auto kernel = &softmax_warp_rows_kernel<kItems, kKl, T, Target>;
  constexpr std::int64_t kTileRows = kSoftmaxWarpRowsTileRows<kItems>;
  const std::int64_t tiles = (p.rows + kTileRows - 1) / kTileRows;
  const unsigned int grid = persistent_grid_size(tiles, capacity_of(kernel, kSoftmaxWarpRowsBlockThreads, 0));
  lossbench::launch(kernel, dim3(grid), dim3(kSoftmaxWarpRowsBlockThreads), 0, stream, p);
}

template <int kItems, class T, class Target, class Stream, class CapacityOf>
void launch_softmax_warp_rows_items(const SoftmaxRowsParams<T, Target>& p, Stream stream, CapacityOf&& capacity_of) {
  if constexpr (kSoftTargets<Target>) {
    if (p.kl) return launch_softmax_warp_rows_variant<kItems, true>(p, stream, capacity_of);
  }
  return launch_softmax_warp_rows_variant<kItems, false>(p, stream, capacity_of);
}

/// Launches the kernel for p.classes in (32, 1024] (InputError otherwise).
/// `capacity_of(kernel, block_threads, dynamic_shared_bytes)`: the
/// DeviceCapacity for that kernel (occupancy API on a GPU, a fixed pretend
/// device in the emulator).
template <class T, class Target, class Stream, class CapacityOf>
void launch_softmax_warp_rows(const SoftmaxRowsParams<T, Target>& p, Stream stream, CapacityOf&& capacity_of) {
  if (p.classes <= 32 || p.classes > kSoftmaxWarpRowsMaxClasses) {
    throw InputError("softmax warp-rows kernel: " + std::to_string(p.classes) + " classes, outside (32, " +
                     std::to_string(kSoftmaxWarpRowsMaxClasses) + "]");
  }
  if (p.kl && !kSoftTargets<Target>) throw InputError("softmax warp-rows kernel: kl takes probability rows");
  switch (softmax_warp_rows_items(p.classes)) {
    case 2: return launch_softmax_warp_rows_items<2>(p, stream, capacity_of);
    case 4: return launch_softmax_warp_rows_items<4>(p, stream, capacity_of);
    case 8: return launch_softmax_warp_rows_items<8>(p, stream, capacity_of);
    case 16: return launch_softmax_warp_rows_items<16>(p, stream, capacity_of);
    default: return launch_softmax_warp_rows_items<32>(p, stream, capacity_of);
  }
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
