#pragma once
// The cuda backend: the kernels and launchers compiled by nvcc, on the
// current GPU, stream-ordered; the cuBLAS baseline. Internal.
#include "backends/backend_table.hpp"

namespace lossbench::detail {

void fused_loss_cuda(const FusedLossCall& call, void* workspace, void* stream);
void softmax_loss_cuda(const SoftmaxLossCall& call, void* workspace, void* stream);
void gaussian_nll_cuda(const GaussianNllCall& call, void* workspace, void* stream);
void train_step_cuda(const TrainStepCall& call, void* workspace, void* stream);
void evaluate_cuda(const EvaluateCall& call, void* workspace, void* stream);
std::size_t unfused_cuda_temp_bytes(std::int64_t n);
void unfused_cuda(const FusedLossCall& call, const UnfusedBuffers& buffers, void* stream);
std::size_t softmax_unfused_cuda_temp_bytes(std::int64_t rows);
void softmax_unfused_cuda(const SoftmaxLossCall& call, const SoftmaxUnfusedBuffers& buffers, void* stream);
void* blas_create();
void blas_destroy(void* handle) noexcept;
void train_step_baseline_cuda(const TrainStepCall& call, const TrainStepBaselineBuffers& buffers, void* blas,
                              void* stream);

}  // namespace lossbench::detail
