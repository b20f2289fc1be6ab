// The cuda backend of a build without the CUDA toolkit (LOSSBENCH_CUDA=OFF or
// no nvcc found): it reports itself unavailable, and why.
#include "backends/backends.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench::detail {

BackendAvailability cuda_availability() {
  return {false, "this build of lossbench has no CUDA backend (configured with LOSSBENCH_CUDA=OFF or without nvcc)"};
}

void fused_loss_cuda(const FusedLossCall&, void*, void*) { throw BackendError(cuda_availability().reason); }
std::size_t unfused_cuda_temp_bytes(std::int64_t) { throw BackendError(cuda_availability().reason); }
void unfused_cuda(const FusedLossCall&, const UnfusedBuffers&, void*) { throw BackendError(cuda_availability().reason); }
void train_step_cuda(const TrainStepCall&, void*, void*) { throw BackendError(cuda_availability().reason); }
void* blas_create() { throw BackendError(cuda_availability().reason); }
void blas_destroy(void*) noexcept {}
void train_step_baseline_cuda(const TrainStepCall&, const TrainStepBaselineBuffers&, void*, void*) {
  throw BackendError(cuda_availability().reason);
}
void* cuda_allocate(std::size_t) { throw BackendError(cuda_availability().reason); }
void cuda_free(void*) noexcept {}
void cuda_copy_to_device(void*, const void*, std::size_t) { throw BackendError(cuda_availability().reason); }
void cuda_copy_to_host(void*, const void*, std::size_t) { throw BackendError(cuda_availability().reason); }
void cuda_fill_bytes(void*, unsigned char, std::size_t) { throw BackendError(cuda_availability().reason); }
void cuda_synchronize() { throw BackendError(cuda_availability().reason); }

}  // namespace lossbench::detail
