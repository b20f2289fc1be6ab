#pragma once
// Evaluation of the single-layer sigmoid model of train_step.hpp on a data
// set, forward only, in one pass over X:
//   L = (1/n) Σ_i Σ_j ℓ(z_ij, y_ij)   and   correct = #{i : argmax_j z_ij = argmax_j y_ij}
// (the lowest index wins a tie; for one-hot targets argmax y is the label).
// On emu, cuda and cpu it is the training step's forward pass, kept on the device
// with the data set, so that a trainer tests its model without copying it.
//
//   std::size_t bytes = evaluate_workspace_size(n, d, k, Backend::cuda);
//   evaluate(call, Backend::cuda, workspace, bytes, stream);  // asynchronous on `stream`
#include <cstddef>
#include <cstdint>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/loss_kind.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench {

struct EvaluateCall {
  Loss loss = Loss::bce;
  const void* inputs = nullptr;  // X: n × d of input_type
  InputType input_type = InputType::f32;
  const float* targets = nullptr;  // Y: n × k
  const float* weights = nullptr;  // W: d × k
  const float* bias = nullptr;     // b: k
  std::int64_t n = 0;              // ≥ 1
  int d = 0;                       // ≥ 1, within train_step_limits
  int k = 0;                       // ≥ 1, within train_step_limits
  double* loss_value = nullptr;    // L
  double* correct = nullptr;       // the count of correctly classified rows (a whole number)
};

/// Bytes of workspace on `backend` (none on ref): two doubles per block (cpu:
/// per tile, and a transposed copy of W).
/// Throws InputError for n, d or k < 1 or beyond the backend's limits,
/// BackendError for a backend without evaluate().
std::size_t evaluate_workspace_size(std::int64_t n, int d, int k, Backend backend);

/// Throws InputError naming the first problem (null pointers, n, d or k < 1,
/// outputs overlapping each other or the inputs).
void validate(const EvaluateCall& call);

/// Validates, then computes on `backend` (ref: double precision, argmax of
/// double logits; emu, cuda: the kernel, float logits, stream-ordered; cpu:
/// float logits as its training step computes them).
/// Deterministic: the same bits on every run of a backend.
void evaluate(const EvaluateCall& call, Backend backend, void* workspace, std::size_t workspace_bytes,
              void* stream = nullptr);

}  // namespace lossbench
