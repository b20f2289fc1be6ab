#pragma once
// One kernel source, two compilers. Under nvcc this is CUDA itself (runtime,
// fp16/bf16 types, CUB); under any other compiler it is the SIMT emulator
// (emu/), which provides the same names so that the unchanged kernel source
// runs on the CPU.
//
// Also the few project macros that must differ between the two:
//   LOSSBENCH_KERNEL_NAMESPACE  gpu | emu: kernels live in an inline namespace
//       of that name, so that a binary may hold both compilations of a kernel
//       (the cuda and emu backends) without their symbols colliding;
//   LOSSBENCH_UNROLL            #pragma unroll, or GCC's equivalent;
//   LOSSBENCH_DYNAMIC_SHARED(type, name)  the block's dynamic shared memory.
#if defined(__CUDACC__)

#include <cub/cub.cuh>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#define LOSSBENCH_KERNEL_NAMESPACE gpu
#define LOSSBENCH_UNROLL _Pragma("unroll")
#define LOSSBENCH_DYNAMIC_SHARED(type, name) extern __shared__ type name[]

#else

#include "emu/device_api.hpp"

#define LOSSBENCH_KERNEL_NAMESPACE emu
#define LOSSBENCH_UNROLL _Pragma("GCC unroll 16")
#define LOSSBENCH_DYNAMIC_SHARED(type, name) type* name = ::lossbench::emu::dynamic_shared<type>()

#endif
