#pragma once
// A batch's class indices (hard labels) as the softmax kernels read them:
// int32 or int64, the width chosen at run time. Why not a template
// parameter: a kernel reads one label per row, next to the row's V logits,
// and the width is the same for the whole launch, so the branch is uniform
// and costs nothing measurable; a template parameter compiled every
// hard-label kernel twice (one variant per width) for no difference in the
// inner loop.
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// The labels of the rows, int32 or int64, read as int64 (PyTorch's
/// semantics of ignore_index and invalid labels stay the reader's:
/// softmax_row_label). Converts from either pointer, as the pointer it
/// replaces did; null (no rows) is never read.
class ClassIndices {
 public:
  ClassIndices() = default;
  __host__ __device__ ClassIndices(const std::int32_t* labels) : narrow_(labels) {}  // implicit, like a pointer
  __host__ __device__ ClassIndices(const std::int64_t* labels) : wide_(labels) {}

  __host__ __device__ __forceinline__ std::int64_t operator[](std::int64_t row) const {
    return wide_ != nullptr ? wide_[row] : static_cast<std::int64_t>(narrow_[row]);
  }

 private:
  // Exactly one is set for a batch with rows: the width is which one.
  const std::int32_t* narrow_ = nullptr;
  const std::int64_t* wide_ = nullptr;
};

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
