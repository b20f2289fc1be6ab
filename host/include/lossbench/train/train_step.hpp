#pragma once
// One training step of a single-layer model, fused: z = XW + b, the loss
// (sigmoid outputs with mse or bce, or a softmax with cross-entropy), dL/dW
// and dL/db, in one pass over X.
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
//   L = (1/n) Σ_i ℓ_i                  (averaged over the batch)
//   mse: ℓ_i = Σ_j ½(y_ij − a_ij)²,  bce: ℓ_i = −Σ_j [y ln a + (1 − y) ln(1 − a)]_ij
//     (per output, summed over the row's outputs)
//   softmax_ce: ℓ_i = −Σ_j y_ij ln p_ij, p_i = softmax(z_i) over the row's k
//     outputs (for a one-hot row, lse − z_label: PyTorch's F.cross_entropy
//     with its default mean over rows); dℓ_i/dz_ij = p_ij·Σ_m y_im − y_ij
//   dL/dW_cj = (1/n) Σ_i X_ic · dℓ_i/dz_ij,   dL/db_j = (1/n) Σ_i dℓ_i/dz_ij
// (for bce dℓ/dz = a − y: the seed's ∂C/∂w_j = (1/n) Σ x_j (σ(z) − y); for
// softmax_ce with one-hot y, p − y).
//
// Arrays are row-major: X n × d (float32, or uint8 pixels standing for
// x = v/255), Y n × k, W d × k, b k, dW d × k, db k, all float32. The loss
// is one double.
//
// Beyond one step on a batch in place, a call can (all used by the trainer,
// which keeps a whole data set on the device and never copies a batch):
//   - read its batch through row indices: batch row i is row row_indices[i]
//     of X and of Y (a shuffled epoch, read in place);
//   - take the SGD step: with learning_rate η > 0, W −= η·dL/dW and
//     b −= η·dL/db in place, each as fma(−η, g, w) after dW and db are
//     complete (the gradients' outputs may then be null);
//   - be one step of a sequence, replayed unchanged (a CUDA Graph): with a
//     step cursor s = *step (backend memory), it reads the indices from
//     row_indices + s·step_rows, writes L to loss_value[s] and leaves s + 1
//     in *step;
//   - with a cursor, take η from a table, η = learning_rates[s], instead of
//     learning_rate: a schedule that a replayed sequence cannot bake in.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/loss_kind.hpp"

namespace lossbench {

/// How X is stored: float32 values, or uint8 pixels, each standing for
/// x = v / 255 rounded once to float (kernels/train/train_inputs.cuh).
enum class InputType { f32, u8 };
std::string_view to_string(InputType type);
/// Parses "f32" | "u8"; throws InputError naming the bad value otherwise.
InputType parse_input_type(std::string_view name);
/// 4 or 1.
std::size_t input_type_size(InputType type);

struct TrainStepCall {
  Loss loss = Loss::bce;
  const void* inputs = nullptr;    // X: n × d, or input_rows × d with row_indices; of input_type
  InputType input_type = InputType::f32;
  const float* targets = nullptr;  // Y: a row of k per row of X, each in [0, 1] (one-hot or soft; softmax_ce: ≥ 0)
  float* weights = nullptr;        // W: d × k; updated in place by an SGD step (η > 0 or a table)
  float* bias = nullptr;           // b: k; likewise
  std::int64_t n = 0;              // rows in the batch, ≥ 1 (64-bit: n·d may exceed 2^31)
  int d = 0;                       // inputs per row, ≥ 1 (and see train_step_limits)
  int k = 0;                       // outputs per row, ≥ 1 (and see train_step_limits)
  float* grad_weights = nullptr;   // dL/dW: d × k; may be null with an SGD step
  float* grad_bias = nullptr;      // dL/db: k; likewise
  double* loss_value = nullptr;    // L (loss_value[s] with a step cursor); device memory on cuda

  // Optional (see above). Indices must lie in [0, input_rows): checked on the
  // host backends (ref, emu), undefined on cuda, which cannot check without
  // reading them back.
  const std::int32_t* row_indices = nullptr;
  std::int64_t input_rows = 0;    // rows of X and Y, with row_indices
  float learning_rate = 0.0f;     // ≥ 0, finite; 0: no update
  std::uint32_t* step = nullptr;  // the cursor; needs row_indices
  std::int64_t step_rows = 0;     // indices per step, ≥ n, with step
  // η per step (backend memory), with step and learning_rate = 0: step s
  // updates with learning_rates[s], each finite and ≥ 0 (checked on the
  // host backends, like the indices; undefined on cuda).
  const float* learning_rates = nullptr;
};

/// The largest d and k a backend takes: emu and cuda d ≤ 1024 (the kernel
/// stages a tile of X in shared memory) and k ≤ 16 (per-thread registers);
/// cpu any d and k ≤ 16 (its register blocks); ref any. Throws BackendError for a backend this build does not have.
struct TrainStepLimits {
  int max_inputs;   // d
  int max_outputs;  // k
};
TrainStepLimits train_step_limits(Backend backend);

/// Whether this build's `backend` has the training step at all. One without
/// it takes no shape: train_step() and train_step_workspace_size() throw
/// BackendError "backend X cannot run train_step" for it.
bool has_train_step(Backend backend);

/// Bytes of workspace a step of this shape needs on `backend` (none on ref):
/// per-block (cpu: per-tile) partial sums of dW, db and the loss. No zeroing needed. Asks
/// nothing of the device, so it can be called before any buffer exists.
/// Throws InputError for n, d or k < 1 or beyond the backend's limits,
/// BackendError for a backend without the step (has_train_step).
std::size_t train_step_workspace_size(std::int64_t n, int d, int k, Backend backend);

/// Throws InputError naming the first problem: null pointers, n, d or k < 1,
/// a bad learning rate or cursor, outputs overlapping each other or the
/// inputs (W and b, read and written by an update, excepted). Targets are not scanned
/// (that would read Y a second time); see validate_targets in
/// fused_loss_reference.hpp. The backend's limits are checked by train_step().
void validate(const TrainStepCall& call);

/// Validates, checks the shape against the backend's limits and the
/// workspace against train_step_workspace_size, then computes on `backend` (ref: double precision on the host;
/// emu: the kernel under the emulator on host memory; cuda: the kernel on the
/// GPU, stream-ordered, never synchronising; cpu: float32 on SIMD vectors and
/// threads on the host, synchronous, the same bits for every thread count). Deterministic: the same inputs
/// give the same bits on every run and every device of a backend.
/// Throws InputError for a bad call, BackendError when the backend cannot run.
void train_step(const TrainStepCall& call, Backend backend, void* workspace, std::size_t workspace_bytes,
                void* stream = nullptr);

}  // namespace lossbench
