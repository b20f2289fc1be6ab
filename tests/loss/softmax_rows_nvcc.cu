// Compiled by nvcc only (never run): the warp- and block-per-row softmax
// kernels (V > 32) and their launchers must build as CUDA, every variant the
// launchers dispatch to (logits per thread 2...32 per lane, 4...32 per
// block thread with chunks and staging at 32, KL or not) for f32/f16/bf16
// with class indices (one variant for int32 and int64, ClassIndices) and
// soft targets. ptxas -v on this object reports their
// registers; the build refuses spills and local memory (-warn-spills,
// -warn-lmem-usage under LOSSBENCH_WERROR).
#include <cstdint>

#include "backends/launch/softmax_block_rows_launch.cuh"
#include "backends/launch/softmax_warp_rows_launch.cuh"

namespace lossbench::kernels {

template <class T, class Target>
void launch_rows_for_nvcc(const SoftmaxRowsParams<T, Target>& p, cudaStream_t stream) {
  const auto capacity_of = [](auto...) { return DeviceCapacity{132, 2}; };
  launch_softmax_warp_rows(p, stream, capacity_of);
  launch_softmax_block_rows(p, stream, capacity_of);
}

template void launch_rows_for_nvcc(const SoftmaxRowsParams<float, ClassIndices>&, cudaStream_t);
template void launch_rows_for_nvcc(const SoftmaxRowsParams<float, float>&, cudaStream_t);
template void launch_rows_for_nvcc(const SoftmaxRowsParams<__half, ClassIndices>&, cudaStream_t);
template void launch_rows_for_nvcc(const SoftmaxRowsParams<__half, __half>&, cudaStream_t);
template void launch_rows_for_nvcc(const SoftmaxRowsParams<__nv_bfloat16, ClassIndices>&, cudaStream_t);
template void launch_rows_for_nvcc(const SoftmaxRowsParams<__nv_bfloat16, __nv_bfloat16>&, cudaStream_t);

}  // namespace lossbench::kernels
