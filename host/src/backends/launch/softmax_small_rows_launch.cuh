#pragma once
// Host-side launch logic of the small-V softmax kernel
// (kernels/loss/softmax_small_rows.cuh), compiled by nvcc for the cuda
// backend and by g++ for the emulator: the workspace pointers, the grid size
// and the template dispatch on the classes and the entropy output. The
// caller (the host API) fills the rest of SoftmaxSmallRowsParams: pointers,
// rows, V, ignore_index, ε, c, and grad_multiplier (grad_scale / rows
// counted for mean; see the kernel's header for why the caller counts).
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

/// Points the reduction's fields into `workspace` (of at least
/// softmax_small_rows_workspace_layout(p.rows).total_bytes, its counter 0
/// before the first launch) and sets the results' addresses.
template <class T, class Target>
void set_softmax_small_rows_reduction(SoftmaxSmallRowsParams<T, Target>& p, void* workspace, double* reduced_loss,
                                      std::int64_t* counted_rows) {
  const SoftmaxSmallRowsWorkspaceLayout layout = softmax_small_rows_workspace_layout(p.rows);
  auto* bytes = static_cast<unsigned char*>(workspace);
  p.tile_loss = reinterpret_cast<float*>(bytes);
  p.tile_count = reinterpret_cast<std::int32_t*>(bytes + layout.count_offset);
  p.blocks_done = reinterpret_cast<unsigned int*>(bytes + layout.counter_offset);
  p.reduced_loss = reduced_loss;
  p.counted_rows = counted_rows;
}

template <int kLanes, bool kEntropy, class T, class Target, class Stream, class CapacityOf>
void launch_softmax_small_rows_variant(const SoftmaxSmallRowsParams<T, Target>& p, Stream stream,
                                       CapacityOf&& capacity_of) {
  const auto kernel = &softmax_small_rows_kernel<kLanes, kEntropy, T, Target>;
  const unsigned int grid = persistent_grid_size(softmax_small_rows_tile_count(p.rows), capacity_of(kernel));
  lossbench::launch(kernel, dim3(grid), dim3(kSoftmaxSmallRowsBlockThreads), 0, stream, p);
}

template <int kLanes, class T, class Target, class Stream, class CapacityOf>
void launch_softmax_small_rows_lanes(const SoftmaxSmallRowsParams<T, Target>& p, Stream stream,
                                     CapacityOf&& capacity_of) {
  if (p.row_entropy != nullptr) return launch_softmax_small_rows_variant<kLanes, true>(p, stream, capacity_of);
  return launch_softmax_small_rows_variant<kLanes, false>(p, stream, capacity_of);
}

/// Launches the kernel for p.classes in [1, 32] (InputError otherwise).
/// `capacity_of(kernel)`: the DeviceCapacity for that kernel, from the
/// occupancy API on a GPU, a fixed pretend device in the emulator.
template <class T, class Target, class Stream, class CapacityOf>
void launch_softmax_small_rows(const SoftmaxSmallRowsParams<T, Target>& p, Stream stream, CapacityOf&& capacity_of) {
  if (p.classes < 1 || p.classes > kSoftmaxSmallRowsMaxClasses) {
    throw InputError("softmax small-rows kernel: " + std::to_string(p.classes) + " classes, outside [1, " +
                     std::to_string(kSoftmaxSmallRowsMaxClasses) + "]");
  }
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
