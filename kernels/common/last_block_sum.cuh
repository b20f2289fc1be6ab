#pragma once
// The deterministic end of a one-launch reduction over fixed tiles: every
// block of a persistent grid writes one float partial per tile it computed;
// the last block to finish (a ticket from an atomic counter on integers,
// never floats) sums all partials in double, each thread a fixed stride of
// them and cub's BlockReduce the threads. The order of the additions depends
// on the tile count alone, so the sum has the same bits for every grid size,
// schedule and run, and no float atomics are needed.
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

template <int kThreads>
using LastBlockSumStorage = typename cub::BlockReduce<double, kThreads>::TempStorage;

/// Called by every thread of every block once its tile partials are
/// written. Returns true in the last block to arrive, where thread 0's
/// `total` is the sum of partials[0, count); false (and `total` untouched)
/// in every other block. The last block resets *blocks_done to 0, so the
/// counter is ready for the next launch without a memset. `is_last_block`
/// must be in shared memory.
template <int kThreads>
__device__ __forceinline__ bool sum_partials_in_last_block(const float* partials, std::int64_t count,
                                                           unsigned int* blocks_done,
                                                           LastBlockSumStorage<kThreads>& temp,
                                                           bool& is_last_block, int thread, double& total) {
  __threadfence();  // make this block's partials visible before taking a ticket
  if (thread == 0) is_last_block = atomicAdd(blocks_done, 1u) == gridDim.x - 1;
  __syncthreads();
  if (!is_last_block) return false;
  __threadfence();
  // volatile: read what the other blocks wrote, not a copy cached in this SM's L1.
  const volatile float* values = partials;
  double sum = 0.0;
  for (std::int64_t t = thread; t < count; t += kThreads) sum += values[t];
  const double block_total = cub::BlockReduce<double, kThreads>(temp).Sum(sum);
  if (thread == 0) {
    total = block_total;
    *blocks_done = 0;
  }
  return true;
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
