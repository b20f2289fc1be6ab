#pragma once
// c·x where an exactly zero coefficient wins over an infinite x: the term
// vanishes, as its limit does (a target that agrees exactly with a saturated
// output; 0·log 0 = 0). IEEE's 0·inf is NaN.
#include "kernels/common/cuda_compat.cuh"

namespace lossbench::kernels {

__host__ __device__ __forceinline__ float product_zero_wins(float c, float x) { return c == 0.0f ? 0.0f : c * x; }

}  // namespace lossbench::kernels
