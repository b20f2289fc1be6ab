#pragma once
// Kernels with synchronisation bugs that the emulator must expose.
#include "kernels/common/cuda_compat.cuh"

namespace lossbench::test_kernels {

constexpr int kBugThreads = 64;

// Each thread writes its slot and reads its neighbour's, but the barrier
// between the write and the read is missing: right or wrong by schedule.
__global__ void neighbour_without_barrier(int* out) {
  __shared__ int slots[kBugThreads];
  const int t = static_cast<int>(threadIdx.x);
  slots[t] = t + 1;
  // __syncthreads() belongs here.
  const int neighbour = slots[(t + 1) % kBugThreads];
  __syncthreads();
  out[t] = neighbour;
  __syncthreads();
  slots[t] = 0;  // the next block (same CPU thread) starts from a wrong value, as a GPU might
}

// The same kernel with the barrier: right under every schedule.
__global__ void neighbour_with_barrier(int* out) {
  __shared__ int slots[kBugThreads];
  const int t = static_cast<int>(threadIdx.x);
  slots[t] = t + 1;
  __syncthreads();
  const int neighbour = slots[(t + 1) % kBugThreads];
  __syncthreads();
  out[t] = neighbour;
  slots[t] = 0;
}

// Half the block waits at one __syncthreads, the other half at another.
__global__ void divergent_barrier(int* out) {
  if (threadIdx.x < kBugThreads / 2) {
    __syncthreads();
    out[threadIdx.x] = 1;
  } else {
    out[threadIdx.x] = 2;
    __syncthreads();
  }
}

// Threads that return early no longer count at later barriers (as on sm_70+):
// this is legal and must complete.
__global__ void early_exit_then_barrier(const int* in, int n, int* out) {
  __shared__ int total;
  const int t = static_cast<int>(threadIdx.x);
  if (t == 0) total = 0;
  __syncthreads();
  if (t >= n) return;
  atomicAdd(&total, in[t]);
  __syncthreads();
  if (t == 0) out[0] = total;
}

}  // namespace lossbench::test_kernels
