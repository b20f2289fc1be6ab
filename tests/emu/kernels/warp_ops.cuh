#pragma once
// Warp operations, lane by lane: each thread writes the value it received.
#include "kernels/common/cuda_compat.cuh"

namespace lossbench::test_kernels {

enum class Shuffle { index, up, down, xor_lanes };

// Thread t offers value 100 + t; out[t] is what it gets back.
__global__ void shuffle(Shuffle kind, int param, int width, int* out) {
  const int lane = static_cast<int>(threadIdx.x);
  const int mine = 100 + lane;
  int got = 0;
  switch (kind) {
    case Shuffle::index: got = __shfl_sync(0xffffffffu, mine, param, width); break;
    case Shuffle::up: got = __shfl_up_sync(0xffffffffu, mine, static_cast<unsigned>(param), width); break;
    case Shuffle::down: got = __shfl_down_sync(0xffffffffu, mine, static_cast<unsigned>(param), width); break;
    case Shuffle::xor_lanes: got = __shfl_xor_sync(0xffffffffu, mine, param, width); break;
  }
  out[lane] = got;
}

// Shuffles of a double (8 bytes) inside `if (warp == 1)`: only warp 1 takes part.
__global__ void shuffle_double_in_one_warp(double* out) {
  if (threadIdx.x / 32 == 1) {
    const double mine = 0.5 * threadIdx.x;
    out[threadIdx.x % 32] = __shfl_down_sync(0xffffffffu, mine, 1);
  }
}

// out[3·t ..] = ballot, any, all of (lane % divisor == 0) over the lanes in mask.
__global__ void vote(unsigned mask, int divisor, unsigned* out) {
  const unsigned lane = threadIdx.x % 32;
  if ((mask >> lane & 1u) == 0) return;
  const int predicate = lane % static_cast<unsigned>(divisor) == 0;
  out[3 * threadIdx.x] = __ballot_sync(mask, predicate);
  out[3 * threadIdx.x + 1] = static_cast<unsigned>(__any_sync(mask, predicate));
  out[3 * threadIdx.x + 2] = static_cast<unsigned>(__all_sync(mask, predicate));
  __syncwarp(mask);
}

// A shuffle whose mask names lane 31, which returns before reaching it.
__global__ void shuffle_with_absent_lane(int* out) {
  if (threadIdx.x == 31) return;
  out[threadIdx.x] = __shfl_sync(0xffffffffu, static_cast<int>(threadIdx.x), 0);
}

}  // namespace lossbench::test_kernels
