#pragma once
// Host-side launch of the block-per-row softmax kernel
// (kernels/loss/softmax_block_rows.cuh) for V > 1024, compiled by nvcc for
// the cuda backend and by g++ for the emulator: how many chunks of a long
// row to stage in shared memory (and the opt-in to that much), the grid
// size, and the template dispatch on the threads per row and KL. The
// caller (softmax_loss_launch.cuh) fills SoftmaxRowsParams.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/loss/softmax_block_rows.cuh"
#include "backends/launch/kernel_launch.cuh"
#include "backends/launch/persistent_grid.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// A stage limit that leaves the choice to the device: stage as many chunks
/// as its shared memory per block allows.
inline constexpr std::size_t kSoftmaxStageAsDeviceAllows = std::numeric_limits<std::size_t>::max();

/// Chunks of each row to stage: all but the one kept in registers, as far
/// as min(max_stage_bytes, what the device lets this kernel have) goes.
template <class T, class Target>
std::int64_t softmax_block_rows_staged_chunks(std::int64_t classes, std::size_t max_stage_bytes) {
  const std::int64_t wanted = softmax_block_rows_chunks(classes) - 1;
  const auto fitting = static_cast<std::int64_t>(max_stage_bytes / softmax_block_rows_stage_bytes<T, Target>(1));
  return std::max<std::int64_t>(0, std::min(wanted, fitting));
}

template <int kThreads, bool kKl, class T, class Target, class Stream, class CapacityOf>
void launch_softmax_block_rows_variant(const SoftmaxRowsParams<T, Target>& p, Stream stream, CapacityOf&& capacity_of,
                                       std::size_t max_stage_bytes) {
  const auto kernel = &softmax_block_rows_kernel<kThreads, kKl, T, Target>;
  std::int64_t staged = 0;
  if constexpr (kThreads == kSoftmaxBlockRowsMaxThreads) {  // the chunked variant
    staged = softmax_block_rows_staged_chunks<T, Target>(
        p.classes, std::min(max_stage_bytes, lossbench::max_dynamic_shared_bytes(kernel)));
  }
  const std::size_t shared_bytes = softmax_block_rows_stage_bytes<T, Target>(staged);
  if (shared_bytes > 48 * 1024) {
    const cudaError_t status =
        cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(shared_bytes));
#if defined(__CUDACC__)
    (void)cudaGetLastError();  // not sticky, but do not let the next launch's check report it
#endif
    check_status(status, "softmax block-rows kernel: staging " + std::to_string(staged) + " chunks of rows of " +
                             std::to_string(p.classes) + " classes takes " + std::to_string(shared_bytes) +
                             " bytes of shared memory per block; asking the device for them");
  }
  constexpr std::int64_t kTileRows = kSoftmaxBlockRowsTileRows<kThreads>;
  const std::int64_t tiles = (p.rows + kTileRows - 1) / kTileRows;
  const unsigned int grid = persistent_grid_size(tiles, capacity_of(kernel, kThreads, shared_bytes));
  lossbench::launch(kernel, dim3(grid), dim3(kThreads), shared_bytes, stream, p, static_cast<int>(staged));
}

template <int kThreads, class T, class Target, class Stream, class CapacityOf>
void launch_softmax_block_rows_threads(const SoftmaxRowsParams<T, Target>& p, Stream stream, CapacityOf&& capacity_of,
                                       std::size_t max_stage_bytes) {
  if constexpr (kSoftTargets<Target>) {
    if (p.kl) return launch_softmax_block_rows_variant<kThreads, true>(p, stream, capacity_of, max_stage_bytes);
  }
  return launch_softmax_block_rows_variant<kThreads, false>(p, stream, capacity_of, max_stage_bytes);
}

/// Launches the kernel for p.classes > 1024 (InputError otherwise), staging
/// at most max_stage_bytes of each row in shared memory (tests pass less
/// than the device allows to reach the two-pass path).
/// `capacity_of(kernel, block_threads, dynamic_shared_bytes)`: the
/// DeviceCapacity for that kernel (occupancy API on a GPU, a fixed pretend
/// device in the emulator).
template <class T, class Target, class Stream, class CapacityOf>
void launch_softmax_block_rows(const SoftmaxRowsParams<T, Target>& p, Stream stream, CapacityOf&& capacity_of,
                               std::size_t max_stage_bytes = kSoftmaxStageAsDeviceAllows) {
  if (p.classes <= kSoftmaxWarpRowsMaxClasses) {
    throw InputError("softmax block-rows kernel: " + std::to_string(p.classes) + " classes, not above " +
                     std::to_string(kSoftmaxWarpRowsMaxClasses));
  }
  if (p.kl && !kSoftTargets<Target>) throw InputError("softmax block-rows kernel: kl takes probability rows");
  if (p.classes > std::numeric_limits<int>::max()) {
    // The kernel indexes columns with int (softmax_row_chunk.cuh); beyond
    // 2^24 classes the float count of the row is no longer exact anyway.
    throw BackendError("softmax block-rows kernel: rows of " + std::to_string(p.classes) +
                       " classes; at most 2^31 − 1 are supported");
  }
  switch (softmax_block_rows_threads(p.classes)) {
    case 64: return launch_softmax_block_rows_threads<64>(p, stream, capacity_of, max_stage_bytes);
    case 128: return launch_softmax_block_rows_threads<128>(p, stream, capacity_of, max_stage_bytes);
    case 256: return launch_softmax_block_rows_threads<256>(p, stream, capacity_of, max_stage_bytes);
    default: return launch_softmax_block_rows_threads<512>(p, stream, capacity_of, max_stage_bytes);
  }
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
