#pragma once
// What the kernels ask of a call's shape, for the backends that run them
// (emu and cuda, and a build's cuda entry without the toolkit, which still
// answers queries): workspace bytes and the training step's limits. Plain C++.
#include <cstddef>
#include <cstdint>

#include "kernels/loss/fused_loss_tiling.hpp"
#include "kernels/loss/softmax_loss_tiling.hpp"
#include "kernels/loss/gaussian_nll_tiling.hpp"
#include "kernels/train/train_step_tiling.hpp"
#include "lossbench/core/loss_kind.hpp"
#include "lossbench/loss/softmax_loss.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench::kernels {

/// One float partial per tile and a counter; nothing for reduction none.
inline std::size_t fused_loss_workspace_bytes(std::int64_t n, Reduction reduction) {
  return reduction == Reduction::none ? 0 : fused_loss_workspace_layout(n).total_bytes;
}

/// Per-tile loss and count partials and the counters, for every reduction
/// (reduction none still counts the rows when asked).
inline std::size_t softmax_loss_workspace_bytes(const SoftmaxLossCall& call) {
  return softmax_workspace_layout(call.rows, call.classes).total_bytes;
}

/// One float partial per tile and a counter; nothing for reduction none.
inline std::size_t gaussian_nll_workspace_bytes(std::int64_t n, Reduction reduction) {
  return reduction == Reduction::none ? 0 : gaussian_nll_workspace_layout(n).total_bytes;
}

/// Per-block partials of dW, db and the loss.
inline std::size_t train_step_workspace_bytes(std::int64_t n, int d, int k) {
  return train_step_workspace_layout(n, d, k).total_bytes;
}

/// Per-block loss and count partials of the evaluation.
inline std::size_t evaluate_workspace_bytes(std::int64_t n, int, int) {
  return evaluate_workspace_layout(n).total_bytes;
}

/// d is bounded by the X tile the kernel stages in shared memory, k by the
/// per-thread registers.
inline constexpr TrainStepLimits kTrainStepKernelLimits{kTrainMaxInputs, kTrainMaxOutputs};

}  // namespace lossbench::kernels
