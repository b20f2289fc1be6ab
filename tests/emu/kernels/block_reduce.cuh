#pragma once
// cub::BlockReduce over one block: thread t contributes in[t], the sum of the
// first valid_items goes to out[blockIdx.x], written by thread 0.
#include "kernels/common/cuda_compat.cuh"

namespace lossbench::test_kernels {

template <int kThreads>
__global__ void block_sum(const int* in, int valid_items, int* out) {
  using Reduce = cub::BlockReduce<int, kThreads>;
  __shared__ typename Reduce::TempStorage temp;
  const int t = static_cast<int>(threadIdx.x);
  const int value = t < valid_items ? in[blockIdx.x * kThreads + t] : 0;
  const int sum = valid_items >= kThreads ? Reduce(temp).Sum(value) : Reduce(temp).Sum(value, valid_items);
  if (t == 0) out[blockIdx.x] = sum;
}

struct MaxOp {
  __host__ __device__ float operator()(float a, float b) const { return a < b ? b : a; }
};

// Max through Reduce with a functor, on floats.
template <int kThreads>
__global__ void block_max(const float* in, float* out) {
  using Reduce = cub::BlockReduce<float, kThreads>;
  __shared__ typename Reduce::TempStorage temp;
  const float m = Reduce(temp).Reduce(in[threadIdx.x], MaxOp());
  if (threadIdx.x == 0) out[0] = m;
}

// Every thread keeps what BlockReduce returned to it, though CUB defines it
// in thread 0 only.
template <int kThreads>
__global__ void block_sum_every_thread(const float* in, float* out) {
  using Reduce = cub::BlockReduce<float, kThreads>;
  __shared__ typename Reduce::TempStorage temp;
  out[threadIdx.x] = Reduce(temp).Sum(in[threadIdx.x]);
}

// A warp's sum through cub::WarpReduce: one result per warp.
__global__ void warp_sums(const int* in, int* out) {
  using Reduce = cub::WarpReduce<int>;
  __shared__ typename Reduce::TempStorage temp[8];
  const unsigned warp = threadIdx.x / 32;
  const int sum = Reduce(temp[warp]).Sum(in[threadIdx.x]);
  if (threadIdx.x % 32 == 0) out[warp] = sum;
}

}  // namespace lossbench::test_kernels
