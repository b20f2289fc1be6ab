#pragma once
// The training step the way a framework runs it, for comparison with the
// fused train_step(): separate library calls with Z and dZ in memory,
//   Z  ← 1·bᵀ            (cuBLAS SGEMM with inner dimension 1: the bias broadcast)
//   Z  ← X·W + Z         (cuBLAS SGEMM, beta = 1)
//   dZ, Σℓ ← fused_loss(Z, Y)   (our fused loss kernel, reduction sum, grad_scale 1/n)
//   L  ← Σℓ / n          (cuBLAS DSCAL on the device scalar)
//   dW ← Xᵀ·dZ           (cuBLAS SGEMM)
//   db ← dZᵀ·1           (cuBLAS SGEMV: the column sums of dZ)
// so X is read twice (once per GEMM) where the fused kernel reads it once.
// The results are those of train_step() (train_step.hpp), up to rounding.
// mse and bce only: fused_loss() is elementwise (InputError for softmax_ce).
//
// cuda only. Deterministic on a given GPU model and toolkit: cuBLAS gives the
// same bits run to run for the same architecture and SM count when it works
// in a workspace of its own (we hand it one, cublasSetWorkspace), TF32 is
// not enabled (fp32 FMAs as in train_step), and our code has no atomics.
//
//   TrainStepBaseline baseline(call);   // once per batch shape: buffers, cuBLAS handle
//   baseline.run(call, stream);         // asynchronous on `stream`, like train_step()
#include <cstddef>
#include <cstdint>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench {

/// Bytes of device memory the baseline works in for a batch of n rows and k
/// outputs: Z and dZ (n·k floats each), a vector of n ones, the fused loss
/// kernel's workspace, and cuBLAS's own workspace.
std::size_t train_step_baseline_workspace_size(std::int64_t n, int k);

class TrainStepBaseline {
 public:
  /// Sets up for calls shaped like `shape` (its n, d and k; pointers unused):
  /// allocates the workspace on the current device, writes the ones vector,
  /// zeroes the fused loss workspace, creates the cuBLAS handle. Synchronous.
  /// Throws BackendError without a usable GPU, InputError for n > 2^31 − 1
  /// (cuBLAS dimensions are 32-bit) or k outside [1, 16].
  explicit TrainStepBaseline(const TrainStepCall& shape);
  ~TrainStepBaseline();
  TrainStepBaseline(const TrainStepBaseline&) = delete;
  TrainStepBaseline& operator=(const TrainStepBaseline&) = delete;

  /// Validates `call` (as train_step() does; any d) and runs the step on
  /// `stream` (a cudaStream_t; null: the default stream) without
  /// synchronising. Throws InputError if the shape is not the constructor's.
  /// One object per host thread: the cuBLAS handle is set to `stream` per call.
  void run(const TrainStepCall& call, void* stream);

  std::size_t workspace_bytes() const { return workspace_.size(); }

 private:
  std::int64_t n_;
  int d_;
  int k_;
  BackendBuffer workspace_;
  void* blas_ = nullptr;  // cublasHandle_t, owned
};

}  // namespace lossbench
