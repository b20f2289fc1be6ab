// Compiled by nvcc only (never run): the small-V softmax kernel and its
// launcher must build as CUDA, every variant the launcher dispatches to
// (lanes 1...32, KL or not; the entropy output and the labels' width are
// run-time choices inside each) for f32/f16/bf16 with class indices and
// soft targets. ptxas -v on this object reports their registers.
#include <cstdint>

#include "backends/launch/softmax_small_rows_launch.cuh"

namespace lossbench::kernels {

template <class T, class Target>
void launch_small_rows_for_nvcc(const SoftmaxRowsParams<T, Target>& p, cudaStream_t stream) {
  launch_softmax_small_rows(p, stream, [](auto...) { return DeviceCapacity{132, 4}; });
}

template void launch_small_rows_for_nvcc(const SoftmaxRowsParams<float, ClassIndices>&, cudaStream_t);
template void launch_small_rows_for_nvcc(const SoftmaxRowsParams<float, float>&, cudaStream_t);
template void launch_small_rows_for_nvcc(const SoftmaxRowsParams<__half, ClassIndices>&, cudaStream_t);
template void launch_small_rows_for_nvcc(const SoftmaxRowsParams<__half, __half>&, cudaStream_t);
template void launch_small_rows_for_nvcc(const SoftmaxRowsParams<__nv_bfloat16, ClassIndices>&, cudaStream_t);
template void launch_small_rows_for_nvcc(const SoftmaxRowsParams<__nv_bfloat16, __nv_bfloat16>&, cudaStream_t);

}  // namespace lossbench::kernels
