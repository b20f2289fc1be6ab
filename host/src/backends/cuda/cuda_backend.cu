// The cuda backend's entry in the backend table: availability (a device the
// runtime can use), device memory, and the facilities on the GPU.
#include "backends/cuda/cuda_backend.hpp"
#include "backends/cuda/cuda_check.hpp"
#include "backends/launch/kernel_shapes.hpp"
#include "backends/launch/launch_sequence.cuh"

namespace lossbench::detail {
namespace {

BackendAvailability availability() {
  // Asked once: the answer does not change while the process runs, and
  // cudaGetDeviceCount initialises the runtime, which is slow the first time.
  static const BackendAvailability answer = [] {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
      return BackendAvailability{false, std::string("no usable CUDA device: ") + cudaGetErrorName(status) + " (" +
                                            cudaGetErrorString(status) + ")"};
    }
    if (count == 0) return BackendAvailability{false, "no CUDA device found"};
    return BackendAvailability{true, ""};
  }();
  return answer;
}

void* allocate(std::size_t bytes) {
  void* device = nullptr;
  LOSSBENCH_CUDA_CHECK(cudaMalloc(&device, bytes == 0 ? 1 : bytes));
  return device;
}

void release(void* device) noexcept { cudaFree(device); }

void copy_in(void* device, const void* host, std::size_t bytes) {
  LOSSBENCH_CUDA_CHECK(cudaMemcpy(device, host, bytes, cudaMemcpyHostToDevice));
}

void copy_out(void* host, const void* device, std::size_t bytes) {
  LOSSBENCH_CUDA_CHECK(cudaMemcpy(host, device, bytes, cudaMemcpyDeviceToHost));
}

void fill_bytes(void* device, unsigned char value, std::size_t bytes) {
  LOSSBENCH_CUDA_CHECK(cudaMemset(device, value, bytes));
  LOSSBENCH_CUDA_CHECK(cudaDeviceSynchronize());
}

// Also waits for the last leg of a copy from pageable host memory, which
// cudaMemcpy may return before.
void synchronize() { LOSSBENCH_CUDA_CHECK(cudaDeviceSynchronize()); }

}  // namespace

const BackendEntry& cuda_backend() {
  static const BackendEntry entry{
      .backend = Backend::cuda,
      .availability = availability,
      .memory = {allocate, release, copy_in, copy_out, fill_bytes, synchronize},
      .host_addressable = false,
      .fused_loss_workspace = kernels::fused_loss_workspace_bytes,
      .fused_loss = fused_loss_cuda,
      .softmax_loss_workspace = kernels::softmax_loss_workspace_bytes,
      .softmax_loss = softmax_loss_cuda,
      .gaussian_nll_workspace = kernels::gaussian_nll_workspace_bytes,
      .gaussian_nll = gaussian_nll_cuda,
      .train_step_limits = kernels::kTrainStepKernelLimits,
      .train_step_workspace = kernels::train_step_workspace_bytes,
      .train_step = train_step_cuda,
      .evaluate_workspace = kernels::evaluate_workspace_bytes,
      .evaluate = evaluate_cuda,
      .sequences = {kernels::create_capture_stream, kernels::destroy_capture_stream, kernels::begin_capture,
                    kernels::end_capture, kernels::replay, kernels::destroy_sequence, kernels::synchronize_stream},
      .unfused_temp_bytes = unfused_cuda_temp_bytes,
      .unfused = unfused_cuda,
      .softmax_unfused_temp_bytes = softmax_unfused_cuda_temp_bytes,
      .softmax_unfused = softmax_unfused_cuda,
      .blas_create = blas_create,
      .blas_destroy = blas_destroy,
      .train_step_baseline = train_step_baseline_cuda,
  };
  return entry;
}

}  // namespace lossbench::detail
