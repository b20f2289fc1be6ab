#pragma once
// A test kernel that runs the fused kernel's own tile functions on the single
// tile starting at element `base` (which may be beyond 2^40), so that 64-bit
// offsets are tested without touching 2^40 elements.
#include <cstdint>

#include "kernels/loss/fused_loss.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

template <class T>
__global__ void __launch_bounds__(kBlockThreads) large_offset_tile_kernel(FusedLossParams<T> p, std::int64_t base) {
  const int thread = static_cast<int>(threadIdx.x);
  if (p.vectorized) {
    process_full_tile_packed<BceLoss, T, true, false>(p, base, thread);
  } else {
    process_tile_by_element<BceLoss, T, true, false>(p, base, kTileElements, thread);
  }
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
