#pragma once
// One training step of a single-layer sigmoid model, fused: z = XW + b,
// a = σ(z), the loss, dL/dW and dL/db, in one pass over X.
//
//   TrainStepCall call;                    // describe the step
//   call.loss = Loss::bce; call.inputs = X; call.targets = Y; call.weights = W; call.bias = b;
//   call.n = n; call.d = d; call.k = k;
//   call.grad_weights = dW; call.grad_bias = db; call.loss_value = L;
//   std::size_t bytes = train_step_workspace_size(call);   // once per batch shape
//   train_step(call, Backend::cuda, workspace, bytes, stream);  // asynchronous on `stream`
//
// Semantics (the seed's notation; i a row of the batch, j an output):
//   z_ij = Σ_c X_ic W_cj + b_j,   a_ij = σ(z_ij)
//   L = (1/n) Σ_i Σ_j ℓ(z_ij, y_ij)    (summed over outputs, averaged over the batch)
//   mse: ℓ = ½(y − a)²,  bce: ℓ = −[y ln a + (1 − y) ln(1 − a)]
//   dL/dW_cj = (1/n) Σ_i X_ic · dℓ/dz_ij,   dL/db_j = (1/n) Σ_i dℓ/dz_ij
// (for bce dℓ/dz = a − y: the seed's ∂C/∂w_j = (1/n) Σ x_j (σ(z) − y)).
//
// All arrays are float32, row-major: X n × d, Y n × k, W d × k, b k,
// dW d × k, db k. The loss is one double.
#include <cstddef>
#include <cstdint>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/loss_kind.hpp"

namespace lossbench {

struct TrainStepCall {
  Loss loss = Loss::bce;
  const float* inputs = nullptr;   // X: n × d
  const float* targets = nullptr;  // Y: n × k, each in [0, 1] (one-hot or soft)
  const float* weights = nullptr;  // W: d × k
  const float* bias = nullptr;     // b: k
  std::int64_t n = 0;              // rows in the batch, ≥ 1 (64-bit: n·d may exceed 2^31)
  int d = 0;                       // inputs per row, 1 ≤ d ≤ 1024 on emu and cuda
  int k = 0;                       // outputs per row, 1 ≤ k ≤ 16
  float* grad_weights = nullptr;   // dL/dW: d × k
  float* grad_bias = nullptr;      // dL/db: k
  double* loss_value = nullptr;    // L; device memory on cuda
};

/// Largest d and k the emu and cuda backends take (ref takes any d).
inline constexpr int kTrainStepMaxInputs = 1024;
inline constexpr int kTrainStepMaxOutputs = 16;

/// Bytes of workspace the call needs on emu and cuda (ref needs none):
/// per-block partial sums of dW, db and the loss. No zeroing needed.
std::size_t train_step_workspace_size(const TrainStepCall& call);

/// Throws InputError naming the first problem: null pointers, n < 1,
/// d or k out of range, outputs overlapping each other or the inputs.
/// Targets are not scanned (that would read Y a second time); see
/// validate_targets in reference.hpp.
void validate(const TrainStepCall& call);

/// Validates, then computes on `backend` (ref: double precision on the host;
/// emu: the kernel under the emulator on host memory; cuda: the kernel on the
/// GPU, stream-ordered, never synchronising). Deterministic: the same inputs
/// give the same bits on every run and every device of a backend.
/// Throws InputError for a bad call, BackendError when the backend cannot run.
void train_step(const TrainStepCall& call, Backend backend, void* workspace, std::size_t workspace_bytes,
                void* stream = nullptr);

}  // namespace lossbench
