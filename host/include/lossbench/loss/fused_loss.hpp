#pragma once
// The C++ API of the fused sigmoid + loss + gradient computation.
//
//   FusedLossCall call;                  // describe the call
//   call.loss = Loss::bce; call.reduction = Reduction::mean; call.dtype = DType::f16;
//   call.logits = z; call.targets = y; call.grad = g; call.reduced_loss = loss; call.n = n;
//   std::size_t bytes = fused_loss_workspace_size(n, Reduction::mean, Backend::cuda);   // once, outside the hot path
//   ... allocate `bytes` of device memory and zero them once ...
//   fused_loss(call, Backend::cuda, workspace, bytes, stream);   // asynchronous on `stream`
//
// Semantics (a = σ(z), ℓ_i the loss of element i, C the reduced loss):
//   mse: ℓ = ½(y − a)²,  bce: ℓ = −[p·y ln a + (1 − y) ln(1 − a)] (from logits, stable)
//   mse with activation identity: ℓ = ½(y − z)², dℓ/dz = z − y, any real y.
//     The ½ is the seed's (and the sigmoid MSE's); PyTorch's mse_loss is
//     (y − z)², twice it: grad_scale = 2 and a doubled loss give PyTorch's
//     values exactly (a product by 2 is exact in binary floating point).
//   reduction none: elementwise_loss[i] = ℓ_i;  sum: C = Σ ℓ_i;  mean: C = Σ ℓ_i / n
//   grad[i] = grad_scale · dC/dz_i (for none, grad_scale · dℓ_i/dz_i); mean divides by n.
//   n = 0: sum is 0 and mean is NaN, as in PyTorch.
//   weight w (optional, broadcast over the input as PyTorch's `weight`):
//     ℓ_i and its gradient are multiplied by w_i, whatever its sign; a NaN
//     weight gives a NaN, a zero weight 0 (0·inf = NaN, as in PyTorch).
//   pos_weights (optional, bce only; PyTorch's pos_weight tensor, e.g. one
//     per class over the last axis): element i's p is pos_weights[offset(i)].
//   A NaN logit (or target) gives a NaN loss and gradient for its element and
//   a NaN reduced loss, as in PyTorch: NaN is propagated, never dropped.
// Errors, stated in fused_loss_bounds.hpp and tested: see there.
#include <cstddef>
#include <cstdint>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/broadcast.hpp"
#include "lossbench/core/dtype.hpp"
#include "lossbench/core/loss_kind.hpp"

namespace lossbench {

struct FusedLossCall {
  Loss loss = Loss::bce;  // mse or bce: softmax_ce is a row loss (InputError; see softmax_loss.hpp)
  /// What z goes through before the loss: sigmoid, or identity (mse only).
  Activation activation = Activation::sigmoid;
  Reduction reduction = Reduction::mean;
  /// Storage type of logits, targets, grad and elementwise_loss: f32, f16 or
  /// bf16. Math and accumulation are float32 in the kernels, double in ref.
  DType dtype = DType::f32;
  /// z: n elements.
  const void* logits = nullptr;
  /// y: n elements, probabilities in [0, 1] (soft labels allowed) for
  /// sigmoid, any real for identity.
  const void* targets = nullptr;
  /// dC/dz: n elements, or null to compute the loss only. May equal logits
  /// (computed in place: each logit is read before its gradient overwrites it).
  void* grad = nullptr;
  /// ℓ_i: n elements; reduction none only (null there to skip writing them).
  void* elementwise_loss = nullptr;
  /// C: one double; required for mean and sum, must be null for none.
  /// On cuda it is device memory, written when the stream reaches the call.
  double* reduced_loss = nullptr;
  /// Number of elements, 0 <= n (up to 2^40 and beyond: indexing is 64-bit).
  std::int64_t n = 0;
  /// bce only: PyTorch's pos_weight p >= 0, the weight of the positive term.
  float pos_weight = 1.0f;
  /// w: element i's weight is weight[broadcast_offset(weight_layout, i)],
  /// stored in `dtype`; null for none (w = 1). The layout is
  /// broadcast_layout(input shape, weight shape) (broadcast.hpp).
  const void* weight = nullptr;
  BroadcastLayout weight_layout;
  /// bce only: p per element, pos_weights[broadcast_offset(pos_weight_layout, i)]
  /// in `dtype`, each finite and >= 0 (not checked: the kernels read it
  /// once); null for the scalar pos_weight, which must then stay 1.
  const void* pos_weights = nullptr;
  BroadcastLayout pos_weight_layout;
  /// Multiplies the gradient (an upstream gradient or a loss scale), not the loss.
  float grad_scale = 1.0f;
};

/// Bytes of workspace a call of n elements with `reduction` needs on
/// `backend` (none on ref, none for reduction none): on emu and cuda one
/// float per tile of 4096 elements plus a counter, on cpu one double per
/// tile of 8192 elements. Zero the workspace once
/// after allocating it; every call leaves it zeroed again for the next. Calls
/// that may run concurrently need separate workspaces. Asks nothing of the
/// device. Throws InputError for n < 0 or an unknown reduction.
std::size_t fused_loss_workspace_size(std::int64_t n, Reduction reduction, Backend backend);

/// Checks the call and throws InputError naming the first problem: an unknown
/// enum value, n < 0, a null pointer that the call needs (or a pointer it
/// must not have), activation identity with bce, pos_weight with mse or < 0,
/// pos_weights with mse or with a scalar pos_weight other than 1, a layout
/// that does not describe n elements, a non-finite grad_scale, or outputs
/// that overlap each other or the inputs (except grad == logits).
void validate(const FusedLossCall& call);

/// Validates, then computes on `backend`. workspace must hold
/// fused_loss_workspace_size(call.n, call.reduction, backend) bytes (device memory for cuda).
/// `stream` is a cudaStream_t for cuda (null: the default stream) and is
/// ignored elsewhere. cuda returns without synchronising; ref, emu and cpu return
/// when done. Throws InputError for a bad call, BackendError when the backend
/// is unavailable or a CUDA call fails (with the call site).
void fused_loss(const FusedLossCall& call, Backend backend, void* workspace, std::size_t workspace_bytes,
                void* stream = nullptr);

}  // namespace lossbench
