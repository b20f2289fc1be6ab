#pragma once
// The emu backend: the CUDA kernels and their launchers compiled by g++ and
// run by the SIMT emulator on host memory, synchronously. Internal.
#include "backends/backend_table.hpp"

namespace lossbench::detail {

void fused_loss_emu(const FusedLossCall& call, void* workspace, void* stream);
void softmax_loss_emu(const SoftmaxLossCall& call, void* workspace, void* stream);
void gaussian_nll_emu(const GaussianNllCall& call, void* workspace, void* stream);
void train_step_emu(const TrainStepCall& call, void* workspace, void* stream);
void evaluate_emu(const EvaluateCall& call, void* workspace, void* stream);
std::size_t unfused_emu_temp_bytes(std::int64_t n);
void unfused_emu(const FusedLossCall& call, const UnfusedBuffers& buffers, void* stream);
std::size_t softmax_unfused_emu_temp_bytes(std::int64_t rows);
void softmax_unfused_emu(const SoftmaxLossCall& call, const SoftmaxUnfusedBuffers& buffers, void* stream);

}  // namespace lossbench::detail
