#pragma once
// The rows a cross-entropy mean over class indices divides by: the labels
// that are not ignore_index, counted on the device before the loss kernel
// runs (softmax_rows_common.cuh says why). Reads 4 or 8 bytes per row, against
// the loss kernel's 2·V·sizeof(T): 5% of it at V = 10 in f32, nothing at
// large V. Integer atomics only (one per block), so the count is exact and
// the same every run.
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/loss/class_indices.cuh"

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

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
