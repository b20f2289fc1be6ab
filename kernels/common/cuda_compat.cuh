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
//   LOSSBENCH_DYNAMIC_SHARED(type, name)  the block's dynamic shared memory;
//   LOSSBENCH_SHARED(type, name), LOSSBENCH_SHARED_ARRAY(type, name, count)
//       static shared memory. Under nvcc plain __shared__; in the emulator
//       also filled with a poison pattern (0xff bytes) when the block first
//       reaches the declaration, so that a read of shared memory nobody wrote
//       shows up. (A bare __shared__ works in the emulator too, unpoisoned.)
#if defined(__CUDACC__)

#include <cub/cub.cuh>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#define LOSSBENCH_KERNEL_NAMESPACE gpu
#define LOSSBENCH_UNROLL _Pragma("unroll")
#define LOSSBENCH_DYNAMIC_SHARED(type, name) extern __shared__ type name[]
#define LOSSBENCH_SHARED(type, name) __shared__ type name
#define LOSSBENCH_SHARED_ARRAY(type, name, count) __shared__ type name[count]

#else

#include "emu/device_api.hpp"

#define LOSSBENCH_KERNEL_NAMESPACE emu
#define LOSSBENCH_UNROLL _Pragma("GCC unroll 16")
#define LOSSBENCH_DYNAMIC_SHARED(type, name) type* name = ::lossbench::emu::dynamic_shared<type>()
#define LOSSBENCH_SHARED(type, name) \
  static thread_local type name;     \
  ::lossbench::emu::poison_shared_once_per_block(&name, sizeof(name))
#define LOSSBENCH_SHARED_ARRAY(type, name, count) \
  static thread_local type name[count];           \
  ::lossbench::emu::poison_shared_once_per_block(name, sizeof(name))

#endif
