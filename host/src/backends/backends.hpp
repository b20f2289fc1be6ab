#pragma once
// The backends behind fused_loss() and train_step(), one translation unit each. Internal.
#include <cstddef>
#include <cstdint>

#include "kernels/loss/unfused_baseline_buffers.hpp"
#include "lossbench/core/backend.hpp"
#include "lossbench/loss/fused_loss.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench::detail {

/// Double-precision reference on host pointers.
void fused_loss_ref(const FusedLossCall& call);
/// The CUDA kernels, compiled by g++, run by the SIMT emulator on host pointers.
void fused_loss_emu(const FusedLossCall& call, void* workspace);
/// The CUDA kernels on the current device, asynchronous on `stream`.
void fused_loss_cuda(const FusedLossCall& call, void* workspace, void* stream);

/// The unfused baseline (backends/launch/unfused_baseline_launch.cuh) on each backend.
using UnfusedBuffers = kernels::UnfusedIntermediates;
std::size_t unfused_emu_temp_bytes(std::int64_t n);
std::size_t unfused_cuda_temp_bytes(std::int64_t n);
void unfused_emu(const FusedLossCall& call, const UnfusedBuffers& buffers);
void unfused_cuda(const FusedLossCall& call, const UnfusedBuffers& buffers, void* stream);

/// The single-layer training step (backends/launch/train_step_launch.cuh) on each backend.
void train_step_ref(const TrainStepCall& call);
void train_step_emu(const TrainStepCall& call, void* workspace);
void train_step_cuda(const TrainStepCall& call, void* workspace, void* stream);

/// The framework-style step of train_step_baseline.hpp: where its
/// intermediates live in its workspace, and the cuBLAS handle it runs with.
struct TrainStepBaselineBuffers {
  float* logits;      // Z: n × k
  float* grads;       // dZ: n × k
  const float* ones;  // n ones
  void* loss_workspace;  // the fused loss kernel's, zeroed once
  void* blas_workspace;
  std::size_t blas_workspace_bytes;
};
/// A cuBLAS handle (cublasHandle_t) for the current device: fp32 math
/// without TF32, scalars passed from the host.
void* blas_create();
void blas_destroy(void* handle) noexcept;
void train_step_baseline_cuda(const TrainStepCall& call, const TrainStepBaselineBuffers& buffers, void* blas,
                              void* stream);

/// Whether this build has CUDA and a usable device, and if not why.
BackendAvailability cuda_availability();

/// Device memory of the cuda backend; each throws BackendError on failure.
void* cuda_allocate(std::size_t bytes);
void cuda_free(void* device) noexcept;
void cuda_copy_to_device(void* device, const void* host, std::size_t bytes);
void cuda_copy_to_host(void* host, const void* device, std::size_t bytes);
void cuda_fill_bytes(void* device, unsigned char value, std::size_t bytes);
/// Waits until the device has finished all work, including the last leg of a
/// copy from pageable host memory, which cudaMemcpy may return before.
void cuda_synchronize();

}  // namespace lossbench::detail
