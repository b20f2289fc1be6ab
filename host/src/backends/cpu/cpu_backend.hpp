#pragma once
// The cpu backend: the fused loss, the softmax losses, the Gaussian NLL and
// the training step in float32 on the host, threaded over fixed tiles
// (parallel_tiles.hpp), so that results have the same bits for every thread
// count. The fused loss, the Gaussian NLL and the step are vectorized with
// Google Highway (one binary, dispatched at run time to the widest
// instructions the CPU has: AVX-512, AVX2, SSE4, NEON, ...), their
// per-element formulas those of kernels/loss/loss_math.cuh and
// gaussian_nll_math.cuh written with vectors; the softmax losses are the
// scalar row math of kernels/loss/softmax_math.cuh. Synchronous. Internal.
#include "backends/backend_table.hpp"

namespace lossbench::detail {

std::size_t fused_loss_cpu_workspace(std::int64_t n, Reduction reduction);
void fused_loss_cpu(const FusedLossCall& call, void* workspace, void* stream);
std::size_t softmax_loss_cpu_workspace(const SoftmaxLossCall& call);
void softmax_loss_cpu(const SoftmaxLossCall& call, void* workspace, void* stream);
std::size_t gaussian_nll_cpu_workspace(std::int64_t n, Reduction reduction);
void gaussian_nll_cpu(const GaussianNllCall& call, void* workspace, void* stream);
std::size_t train_step_cpu_workspace(std::int64_t n, int d, int k);
void train_step_cpu(const TrainStepCall& call, void* workspace, void* stream);
std::size_t evaluate_cpu_workspace(std::int64_t n, int d, int k);
void evaluate_cpu(const EvaluateCall& call, void* workspace, void* stream);

}  // namespace lossbench::detail
