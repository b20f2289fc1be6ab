#pragma once
// The rows a cross-entropy mean over class indices divides by: the labels
// that are not ignore_index, counted on the device before the loss kernel
// runs (softmax_rows_common.cuh says why). Reads 4 or 8 bytes per row, against
// the loss kernel's 2·V·sizeof(T): 5% of it at V = 10 in f32, nothing at
// large V. Integer atomics only (one per block), so the count is exact and
// the same every run.
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/common/element_types.cuh"
#include "kernels/loss/class_indices.cuh"
#include "kernels/loss/softmax_loss_tiling.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

inline constexpr int kSoftmaxCountBlockThreads = 256;

/// Adds the number of labels ≠ ignore_index to *count (0 before the launch;
/// the loss kernel's last block resets it). A grid-stride loop: any grid
/// size. Labels: ClassIndices (the fused kernels' one variant for either
/// width) or a pointer to int64 labels (the unfused baseline's); a template
/// also keeps the kernel's definition in this header legal in every
/// translation unit that includes it.
template <class Labels>
__global__ void __launch_bounds__(kSoftmaxCountBlockThreads)
    softmax_count_rows_kernel(Labels labels, std::int64_t rows, std::int64_t ignore_index,
                              unsigned long long* count) {
  using BlockReduce = cub::BlockReduce<long long, kSoftmaxCountBlockThreads>;
  LOSSBENCH_SHARED(typename BlockReduce::TempStorage, temp);
  long long mine = 0;
  const std::int64_t stride = std::int64_t{gridDim.x} * kSoftmaxCountBlockThreads;
  for (std::int64_t row = std::int64_t{blockIdx.x} * kSoftmaxCountBlockThreads + threadIdx.x; row < rows;
       row += stride) {
    mine += static_cast<std::int64_t>(labels[row]) != ignore_index;
  }
  const long long block = BlockReduce(temp).Sum(mine);
  if (threadIdx.x == 0 && block != 0) atomicAdd(count, static_cast<unsigned long long>(block));
}

/// The weighted mean's divisor with class weights (PyTorch's): Σ w_t over
/// the labels ≠ ignore_index, into *weight_sum, in double. Deterministic
/// without float atomics: tile k (kSoftmaxWeightTileRows rows; 16 per
/// thread, summed in row order, then the block's fixed tree) writes
/// tile_sums[k]; the last block to take a ticket sums the tiles in an order
/// fixed by their count alone, writes *weight_sum and resets *blocks_done
/// to 0 for the next call. Any grid size gives the same bits. A label
/// outside [0, V) that is not ignored weighs NaN (the API refuses it; this
/// must not read out of bounds for it). Reads the labels once (4 or 8 bytes
/// a row) and one weight per row from the V that stay in cache.
template <class T>
__global__ void __launch_bounds__(kSoftmaxCountBlockThreads)
    softmax_weigh_rows_kernel(ClassIndices labels, const T* class_weight, std::int64_t rows, std::int64_t classes,
                              std::int64_t ignore_index, double* tile_sums, unsigned int* blocks_done,
                              double* weight_sum) {
  static_assert(kSoftmaxWeightTileRows % kSoftmaxCountBlockThreads == 0);
  constexpr int kRowsPerThread = static_cast<int>(kSoftmaxWeightTileRows / kSoftmaxCountBlockThreads);
  using BlockReduce = cub::BlockReduce<double, kSoftmaxCountBlockThreads>;
  LOSSBENCH_SHARED(typename BlockReduce::TempStorage, temp);
  LOSSBENCH_SHARED(bool, is_last_block);
  const int thread = static_cast<int>(threadIdx.x);
  // softmax_weight_tile_count(rows), which device code cannot call (plain C++).
  const std::int64_t num_tiles = rows <= 0 ? 0 : (rows + kSoftmaxWeightTileRows - 1) / kSoftmaxWeightTileRows;
  for (std::int64_t tile = blockIdx.x; tile < num_tiles; tile += gridDim.x) {
    double mine = 0.0;
    // Thread r takes rows r, r + 256, ...: each load instruction is coalesced.
    for (int i = 0; i < kRowsPerThread; ++i) {
      const std::int64_t row = tile * kSoftmaxWeightTileRows + std::int64_t{i} * kSoftmaxCountBlockThreads + thread;
      if (row >= rows) break;
      const std::int64_t t = labels[row];
      if (t == ignore_index) continue;
      mine += t >= 0 && t < classes ? static_cast<double>(to_float(class_weight[t])) : static_cast<double>(NAN);
    }
    const double tile_sum = BlockReduce(temp).Sum(mine);
    if (thread == 0) tile_sums[tile] = tile_sum;
    __syncthreads();  // temp is reused by the next tile
  }
  __threadfence();  // this block's tiles visible before its ticket
  if (thread == 0) is_last_block = atomicAdd(blocks_done, 1u) == gridDim.x - 1;
  __syncthreads();
  if (!is_last_block) return;
  __threadfence();
  const volatile double* sums = tile_sums;  // what the other blocks wrote, not an L1 copy
  double sum = 0.0;
  for (std::int64_t t = thread; t < num_tiles; t += kSoftmaxCountBlockThreads) sum += sums[t];
  const double total = BlockReduce(temp).Sum(sum);
  if (thread == 0) {
    *weight_sum = total;
    *blocks_done = 0;
  }
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
