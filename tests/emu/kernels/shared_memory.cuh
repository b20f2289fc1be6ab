#pragma once
// Static and dynamic shared memory: each block reverses its slice through
// both, so a wrong per-block separation or a missing barrier shows.
#include "kernels/common/cuda_compat.cuh"

namespace lossbench::test_kernels {

constexpr int kSharedThreads = 128;

__global__ void reverse_through_shared(const int* in, int* out_static, int* out_dynamic) {
  LOSSBENCH_SHARED_ARRAY(int, tile, kSharedThreads);
  LOSSBENCH_DYNAMIC_SHARED(int, dynamic_tile);
  const int t = static_cast<int>(threadIdx.x);
  const int i = static_cast<int>(blockIdx.x) * kSharedThreads + t;
  tile[t] = in[i];
  dynamic_tile[t] = 2 * in[i];
  __syncthreads();
  out_static[i] = tile[kSharedThreads - 1 - t];
  out_dynamic[i] = dynamic_tile[kSharedThreads - 1 - t];
}

// Static shared memory nobody wrote in this block: thread 0 writes slot 0
// only; the others read their own slot after the barrier. The emulator's
// poison (all bits set) must show, even after an earlier block wrote them.
__global__ void read_unwritten_static_shared(unsigned* out) {
  LOSSBENCH_SHARED_ARRAY(unsigned, slots, 64);
  if (blockIdx.x == 0) slots[threadIdx.x] = 7;  // the first block writes every slot
  if (threadIdx.x == 0) slots[0] = 42;
  __syncthreads();
  out[blockIdx.x * 64 + threadIdx.x] = slots[threadIdx.x];
}

// Reads dynamic shared memory nobody wrote: the emulator's poison (all bits set).
__global__ void read_unwritten_dynamic_shared(unsigned* out) {
  LOSSBENCH_DYNAMIC_SHARED(unsigned, scratch);
  out[threadIdx.x] = scratch[threadIdx.x];
}

/// Writes and reads back the last word of `words` of dynamic shared memory:
/// a launch with more than 48 KiB of it needs the kernel to have opted in.
__global__ void last_dynamic_shared_word(unsigned* out, int words) {
  LOSSBENCH_DYNAMIC_SHARED(unsigned, scratch);
  if (threadIdx.x == 0) scratch[words - 1] = 0x600du;
  __syncthreads();
  out[threadIdx.x] = scratch[words - 1];
}

}  // namespace lossbench::test_kernels
