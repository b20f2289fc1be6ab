#pragma once
// One training step of a single-layer sigmoid model, fused: z = XW + b,
// a = σ(z), the loss, dL/dW and dL/db, in one pass over X.
//
//   TrainStepCall call;                    // describe the step
//   call.loss = Loss::bce; call.inputs = X; call.targets = Y; call.weights = W; call.bias = b;
//   call.n = n; call.d = d; call.k = k;
//   call.grad_weights = dW; call.grad_bias = db; call.loss_value = L;
//   std::size_t bytes = train_step_workspace_size(n, d, k, Backend::cuda);   // once per batch shape
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
  int d = 0;                       // inputs per row, ≥ 1 (and see train_step_limits)
  int k = 0;                       // outputs per row, ≥ 1 (and see train_step_limits)
  float* grad_weights = nullptr;   // dL/dW: d × k
  float* grad_bias = nullptr;      // dL/db: k
  double* loss_value = nullptr;    // L; device memory on cuda
};

/// The largest d and k a backend takes: emu and cuda d ≤ 1024 (the kernel
/// stages a tile of X in shared memory) and k ≤ 16 (per-thread registers);
/// ref any. Throws BackendError for a backend this build does not have.
struct TrainStepLimits {
  int max_inputs;   // d
  int max_outputs;  // k
};
TrainStepLimits train_step_limits(Backend backend);

/// Bytes of workspace a step of this shape needs on `backend` (none on ref):
/// per-block partial sums of dW, db and the loss. No zeroing needed. Asks
/// nothing of the device, so it can be called before any buffer exists.
/// Throws InputError for n, d or k < 1 or beyond the backend's limits.
std::size_t train_step_workspace_size(std::int64_t n, int d, int k, Backend backend);

/// Throws InputError naming the first problem: null pointers, n, d or k < 1,
/// outputs overlapping each other or the inputs. Targets are not scanned
/// (that would read Y a second time); see validate_targets in
/// fused_loss_reference.hpp. The backend's limits are checked by train_step().
void validate(const TrainStepCall& call);

/// Validates, checks the shape against the backend's limits and the
/// workspace against train_step_workspace_size, then computes on `backend` (ref: double precision on the host;
/// emu: the kernel under the emulator on host memory; cuda: the kernel on the
/// GPU, stream-ordered, never synchronising). Deterministic: the same inputs
/// give the same bits on every run and every device of a backend.
/// Throws InputError for a bad call, BackendError when the backend cannot run.
void train_step(const TrainStepCall& call, Backend backend, void* workspace, std::size_t workspace_bytes,
                void* stream = nullptr);

}  // namespace lossbench
