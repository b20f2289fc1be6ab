#pragma once
// CUDA C++'s device-side API as the emulator provides it to kernels compiled
// by g++: the function qualifiers, __syncthreads, warp operations, atomics
// and the CUB subset. Included through kernels/common/cuda_compat.cuh, never
// directly by kernels.
//
// Only what our kernels (or the emulator's own tests) use is here, each with
// a test in tests/emu/: an intrinsic a kernel starts to need is added with
// its test. The math functions (expf, logf, log1pf, fmaxf, fmaf, ...) are the
// C library's, from <cmath>: glibc's are within about an ulp, and the CUDA
// Programming Guide bounds the GPU's (expf 2 ulps, logf 1 ulp), but the bits
// differ, so emulated results are not bit-identical to a GPU's.
#include <cmath>

#include "emu/cub_subset.hpp"
#include "emu/device_atomics.hpp"
#include "emu/device_sync.hpp"
#include "emu/device_types.hpp"
#include "emu/runtime.hpp"

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
// Per block: the threads of a block run on one CPU thread, one block at a
// time, so a thread_local static is exactly one block's shared variable.
#define __shared__ static thread_local

// ---------------------------------------------------- dynamic shared memory

namespace lossbench::emu {
template <class T>
T* dynamic_shared() {
  return static_cast<T*>(dynamic_shared_memory());
}
}  // namespace lossbench::emu
