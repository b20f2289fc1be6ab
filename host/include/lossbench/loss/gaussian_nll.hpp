#pragma once
// The C++ API of the Gaussian negative log-likelihood with its gradients,
// PyTorch's torch.nn.functional.gaussian_nll_loss for a variance of the
// input's shape.
//
//   GaussianNllCall call;
//   call.mu = mu; call.target = y; call.var = var; call.n = n;
//   call.grad_mu = dmu; call.grad_var = dvar; call.reduced_loss = loss;
//   std::size_t bytes = gaussian_nll_workspace_size(n, call.reduction, backend);
//   gaussian_nll(call, backend, workspace, bytes, stream);
//
// Semantics (the math is in kernels/loss/gaussian_nll_math.cuh, the double
// reference in reference/gaussian_nll_reference.hpp), v = max(var, eps):
//   ℓ_i = ½(log v + (y − μ)²/v) (+ ½ log 2π with full)
//   none: elementwise_loss[i] = ℓ_i;  sum: C = Σ ℓ_i;  mean: C = Σ ℓ_i / n
//   grad_mu = grad_scale · dC/dμ, grad_var = grad_scale · dC/dvar, the latter
//   at the clamped v also where var < eps: PyTorch clamps under no_grad, so
//   the clamp passes the gradient straight through.
// A negative var is an input error (PyTorch raises ValueError); a GPU call
// cannot read it, so validate_gaussian_nll_var() checks it on the host.
#include <cstddef>
#include <cstdint>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/dtype.hpp"
#include "lossbench/core/loss_kind.hpp"

namespace lossbench {

struct GaussianNllCall {
  Reduction reduction = Reduction::mean;
  /// Storage type of every array: f32, f16 or bf16. Math is float32 in the
  /// kernels, double in ref.
  DType dtype = DType::f32;
  /// μ (PyTorch's input), y (its target) and var: n elements each.
  const void* mu = nullptr;
  const void* target = nullptr;
  const void* var = nullptr;
  /// dC/dμ and dC/dvar: n elements each, or null to skip. grad_mu may equal
  /// mu and grad_var may equal var (in place).
  void* grad_mu = nullptr;
  void* grad_var = nullptr;
  /// ℓ_i: n elements; reduction none only (null there to skip them).
  void* elementwise_loss = nullptr;
  /// C: one double; required for mean and sum, null for none. On cuda it is
  /// device memory.
  double* reduced_loss = nullptr;
  /// Number of elements, 0 <= n; indexing is 64-bit.
  std::int64_t n = 0;
  /// The variance's floor, finite and >= 0 (PyTorch's default 1e-6).
  float eps = 1e-6f;
  /// Add ½ log 2π to every element's loss.
  bool full = false;
  /// Multiplies both gradients (an upstream gradient or a loss scale), not the loss.
  float grad_scale = 1.0f;
};

/// Whether `backend` has gaussian_nll() in this build (available or not).
bool has_gaussian_nll(Backend backend);

/// Bytes of workspace a call of n elements with `reduction` needs on
/// `backend` (none on ref, none for reduction none): on emu and cuda one
/// float per tile of 4096 elements plus a counter, on cpu one double per
/// tile of 8192 elements. Zero the workspace once after allocating it; every
/// call leaves it zeroed again for the next. Calls that may run concurrently
/// need separate workspaces. Asks nothing of the device. Throws InputError
/// for n < 0 or an unknown reduction, BackendError "backend X cannot run
/// gaussian_nll" where it has no kernel.
std::size_t gaussian_nll_workspace_size(std::int64_t n, Reduction reduction, Backend backend);

/// Checks the call and throws InputError naming the first problem: an unknown
/// enum value, n < 0, a null pointer the call needs (or one it must not
/// have), a bad eps or grad_scale, or outputs that overlap each other or the
/// inputs (except grad_mu == mu and grad_var == var). Does not read var.
void validate(const GaussianNllCall& call);

/// Reads var on the host and throws InputError naming the first negative
/// element. `call.var` must be host memory.
void validate_gaussian_nll_var(const GaussianNllCall& call);

/// Validates, then computes on `backend`. Where the backend's memory is host
/// memory (ref, emu, cpu) var is checked first; on cuda it is not read on
/// the host, and a negative var is clamped to eps like any var below it.
/// The reduced loss has the same bits for every grid size (emu, cuda) and
/// thread count (cpu). Throws InputError for a bad call, BackendError when
/// the backend is unavailable or cannot run gaussian_nll.
void gaussian_nll(const GaussianNllCall& call, Backend backend, void* workspace, std::size_t workspace_bytes,
                  void* stream = nullptr);

}  // namespace lossbench
