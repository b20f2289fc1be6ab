// Compiles the emulator's test kernels with nvcc (CI), so that their source
// stays valid CUDA: nothing here runs.
#include "kernels/atomics.cuh"
#include "kernels/barrier_bugs.cuh"
#include "kernels/block_reduce.cuh"
#include "kernels/capture.cuh"
#include "kernels/device_types.cuh"
#include "kernels/elementwise.cuh"
#include "kernels/indexing.cuh"
#include "kernels/shared_memory.cuh"
#include "kernels/warp_ops.cuh"

namespace lossbench::test_kernels {
template __global__ void block_sum<64>(const int*, int, int*);
template __global__ void block_max<128>(const float*, float*);
template __global__ void block_sum_every_thread<64>(const float*, float*);
}  // namespace lossbench::test_kernels
