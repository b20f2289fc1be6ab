#pragma once
// CUDA C++'s device-side API as the emulator provides it to kernels compiled
// by g++: the function qualifiers, __syncthreads, warp operations, atomics,
// read-only loads and the float intrinsics our kernels use. Included through
// kernels/common/cuda_compat.cuh, never directly by kernels.
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
#define __noinline__ __attribute__((noinline))
#define __launch_bounds__(...)
// Per block: the threads of a block run on one CPU thread, one block at a
// time, so a thread_local static is exactly one block's shared variable.
#define __shared__ static thread_local

// ------------------------------------------------------ loads and intrinsics

template <class T>
T __ldg(const T* address) {
  return *address;
}

inline float __expf(float x) { return std::exp(x); }
inline float __logf(float x) { return std::log(x); }
inline float __fdividef(float a, float b) { return a / b; }
inline float __frcp_rn(float x) { return 1.0f / x; }
inline float __saturatef(float x) { return x < 0.0f ? 0.0f : x > 1.0f ? 1.0f : x; }

// ---------------------------------------------------- dynamic shared memory

namespace lossbench::emu {
template <class T>
T* dynamic_shared() {
  return static_cast<T*>(dynamic_shared_memory());
}
}  // namespace lossbench::emu
