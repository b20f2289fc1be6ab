#pragma once
// The C++ API of the softmax losses: cross-entropy (class indices or
// probability rows, label smoothing, ignore_index, z-loss) and KL divergence,
// each with its gradient and optionally the softmax's entropy, in one call.
//
//   SoftmaxLossCall call;                 // describe the call
//   call.loss = SoftmaxLoss::cross_entropy; call.targets_kind = SoftmaxTargets::class_index_i64;
//   call.logits = z; call.targets = t; call.grad = z;   // gradient in place over the logits
//   call.reduced_loss = loss; call.rows = n; call.classes = v;
//   std::size_t bytes = softmax_loss_workspace_size(call, backend);   // once, outside the hot path
//   softmax_loss(call, backend, workspace, bytes, stream);
//
// Semantics: the math of each row is in kernels/loss/softmax_math.cuh and
// the reductions are PyTorch's (reference/softmax_reference.hpp computes both
// in double). z is rows × classes, row-major: the last axis is the classes.
//   cross_entropy, reduction none: unreduced_loss[i] = ℓ_i, one per row (0
//     for a row whose label is ignore_index); sum: C = Σ ℓ_i; mean: C = Σ ℓ_i
//     over the rows not ignored, ÷ their count (NaN when every row is
//     ignored, as PyTorch; the gradient is then 0).
//   kl (torch.nn.functional.kl_div of log_softmax(z), log_target=False),
//     reduction none: unreduced_loss[i·classes + j] = q_ij (log q_ij − log p_ij),
//     one per element; sum; mean: ÷ (rows·classes); batchmean: ÷ rows.
//   grad = grad_scale · dC/dz (for none, of the sum of unreduced_loss), so
//   mean divides by the count, as fused_loss() does.
//   class_weight w (cross_entropy, PyTorch's `weight`): a hard label t
//     weighs its row's loss and gradient by w_t, label smoothing spreads ε
//     over the classes by their weights, ℓ = (1 − ε)·w_t·(lse − z_t) +
//     (ε/V)·Σ_j w_j (lse − z_j), and the mean divides by Σ w_t over the rows
//     not ignored (NaN when that is 0, as PyTorch; the gradient is then 0);
//     a probability row is weighted per class, ℓ = −Σ_j w_j q_j log p_j (q
//     smoothed first), and its mean still divides by the rows.
// Target values (an index in range, a probability row) are the caller's to
// check: validate_softmax_targets() reads them on the host, as a GPU call cannot.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/dtype.hpp"

namespace lossbench {

/// cross_entropy: −Σ_j w_j log p_j (+ c·lse²).  kl: KL(q ‖ p) = Σ_j q_j (log q_j − log p_j).
enum class SoftmaxLoss { cross_entropy, kl };

/// PyTorch's meanings (see above); batchmean is kl's only.
enum class SoftmaxReduction { none, sum, mean, batchmean };

/// What `targets` holds: one class index per row (int32 or int64), or a
/// probability row per row (rows × classes of the logits' dtype).
enum class SoftmaxTargets { class_index_i32, class_index_i64, probabilities };

std::string_view to_string(SoftmaxLoss loss);
std::string_view to_string(SoftmaxReduction reduction);
std::string_view to_string(SoftmaxTargets targets);

struct SoftmaxLossCall {
  SoftmaxLoss loss = SoftmaxLoss::cross_entropy;
  SoftmaxReduction reduction = SoftmaxReduction::mean;
  /// Storage type of logits, probability targets, grad, unreduced_loss and
  /// entropy: f32, f16 or bf16. Math is float32 in the kernels, double in ref.
  DType dtype = DType::f32;
  /// z: rows × classes.
  const void* logits = nullptr;
  /// Class indices (rows of int32 or int64, each in [0, classes) or
  /// ignore_index) or probability rows (rows × classes of dtype; kl takes
  /// only these). Not required to sum to 1 here; see validate_softmax_targets().
  const void* targets = nullptr;
  SoftmaxTargets targets_kind = SoftmaxTargets::class_index_i64;
  /// grad_scale · dC/dz: rows × classes, or null for the loss only. May equal
  /// logits (in place: a row is read before its gradient overwrites it).
  void* grad = nullptr;
  /// Reduction none only (null there to skip them): ℓ per row for
  /// cross_entropy (rows values), per element for kl (rows × classes).
  void* unreduced_loss = nullptr;
  /// H(p) = −Σ_j p_j log p_j per row (rows values), every row, ignored or
  /// not; null to skip.
  void* entropy = nullptr;
  /// C: one double; required for sum, mean and batchmean, null for none.
  /// On cuda it is device memory, written when the stream reaches the call.
  double* reduced_loss = nullptr;
  /// The rows counted (those not ignored; every row for probability
  /// targets): the divisor of cross_entropy's mean. One int64, or null.
  std::int64_t* counted_rows = nullptr;
  /// Shape, 64-bit: rows >= 0, classes >= 1 when rows > 0.
  std::int64_t rows = 0;
  std::int64_t classes = 0;
  /// cross_entropy only: ε in [0, 1], PyTorch's: hard labels weigh class j by
  /// (1 − ε)·[j = t] + ε/classes; probability rows become (1 − ε)·q + ε/classes.
  float label_smoothing = 0.0f;
  /// cross_entropy with class indices only: rows with this label are skipped.
  std::int64_t ignore_index = -100;
  /// cross_entropy with class indices only: z-loss c >= 0 adds c·lse² per row.
  float z_loss = 0.0f;
  /// cross_entropy only (not with z_loss): V class weights of `dtype`, each
  /// finite and >= 0 (validate_softmax_targets checks), or null for none.
  const void* class_weight = nullptr;
  /// Multiplies the gradient (an upstream gradient or a loss scale), not the loss.
  float grad_scale = 1.0f;
};

/// Whether `backend` has softmax_loss() in this build (available or not).
bool has_softmax_loss(Backend backend);

/// Bytes of workspace the call needs on `backend` (none on ref), from its
/// shape and options alone: the pointers are not read. Zero the workspace
/// once after allocating it; every call leaves it zeroed for the next.
/// Throws InputError for a bad shape or option (as validate() does), and
/// BackendError "backend X cannot run softmax_loss" where it has no kernel.
std::size_t softmax_loss_workspace_size(const SoftmaxLossCall& call, Backend backend);

/// Checks the call and throws InputError naming the first problem: an unknown
/// enum value, rows < 0 or classes < 0, an empty class axis (classes = 0 with
/// rows > 0), rows × classes beyond 64-bit byte counts, kl with class
/// indices, an option its loss or targets do not take (class weights with
/// kl or with a z-loss), ε outside [0, 1], a
/// negative or non-finite z-loss, a non-finite grad_scale, a null pointer the
/// call needs (or one it must not have), or outputs that overlap each other or
/// the inputs (except grad == logits). Does not read the targets.
void validate(const SoftmaxLossCall& call);

/// Reads the targets on the host and throws InputError naming the first bad
/// one by row (and class): a class index outside [0, classes) that is not
/// ignore_index; a probability that is negative or NaN, or a probability row
/// whose sum is off 1 by more than 1e-3; a class weight that is negative,
/// NaN or infinite; for a mean over class indices with class weights, rows
/// not ignored whose weights sum to 0 (PyTorch's mean is then 0/0 = NaN) or
/// so little that grad_scale ÷ their sum overflows float.
/// `call.targets` and `call.class_weight` must be host memory.
void validate_softmax_targets(const SoftmaxLossCall& call);

/// The class-weight part of validate_softmax_targets() alone (labels out of
/// range are left to it): host memory, as there.
void validate_softmax_class_weights(const SoftmaxLossCall& call);

/// Validates, then computes on `backend`. workspace must hold
/// softmax_loss_workspace_size(call, backend) bytes (device memory for cuda).
/// `stream` is a cudaStream_t for cuda and ignored elsewhere; cuda returns
/// without synchronising, the others when done. Where the backend's memory is
/// host memory (ref) the class indices are checked to be in range first; the
/// probability rows are not (PyTorch does not require them to sum to 1).
/// Throws InputError for a bad call, BackendError when the backend is
/// unavailable or cannot run softmax_loss.
void softmax_loss(const SoftmaxLossCall& call, Backend backend, void* workspace, std::size_t workspace_bytes,
                  void* stream = nullptr);

}  // namespace lossbench
