#pragma once
// Verification of softmax_loss() on a backend against the double-precision
// reference, as verify.hpp does for fused_loss(): one case = one call on
// fresh random rows (ordinary and extreme: |z| up to 1e4, −inf but one,
// confident, all equal), every output element within the bounds of
// softmax_bounds.hpp (at softmax_backend_depth) plus the rounding to the
// storage type, every output element written and nothing around it (poison
// and guards), and a second run with the same bits.
#include <cstdint>
#include <string>
#include <vector>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/dtype.hpp"
#include "lossbench/loss/softmax_loss.hpp"
#include "lossbench/verify/mismatch_log.hpp"

namespace lossbench {

struct SoftmaxVerifyCase {
  SoftmaxLoss loss = SoftmaxLoss::cross_entropy;
  SoftmaxTargets targets = SoftmaxTargets::class_index_i64;
  SoftmaxReduction reduction = SoftmaxReduction::mean;
  DType dtype = DType::f32;
  std::int64_t rows = 0;
  std::int64_t classes = 1;
  float label_smoothing = 0.0f;
  float z_loss = 0.0f;        // class indices only
  bool class_weight = false;  // cross-entropy: V class weights (0, 1, 1e4, a subnormal, in [0, 3))
  float grad_scale = 1.0f;
  bool grad = true;           // compute the gradient
  bool in_place = false;      // ... written over the logits
  bool entropy = false;       // write H(p) per row
  bool unreduced = true;      // reduction none: write the per-row (kl: per-element) losses
  int offset = 0;             // elements past a 256-byte boundary for every array (1: odd pointers)
  std::uint64_t seed = 1;

  /// e.g. "ce-i64/f16/mean/V=10/N=1025/grad-inplace/eps=0.1/c=0.0001/H/off=1".
  std::string name() const;
};

struct SoftmaxVerifyResult {
  SoftmaxVerifyCase config;
  double grad_error = 0;  // max over elements of |Δ| / bound (<= 1 passes)
  double loss_error = 0;  // the same for the reduced or unreduced losses
  double entropy_error = 0;
  bool all_written = true;
  bool deterministic = true;
  MismatchLog log;

  bool passed() const { return log.passed(); }
};

/// Runs one case on `backend` (ref checks the reference against itself).
SoftmaxVerifyResult verify_softmax_case(const SoftmaxVerifyCase& config, Backend backend);

/// The sweep `lossbench verify` runs: V ∈ {1, 2, 10, 31, 32, 33, 1000, 4097,
/// 32768, 131072} (few rows for the long ones) × f32/f16/bf16 × the targets
/// and losses × every reduction, with ε, z-loss, entropy, in place, grad
/// scale and odd offsets spread over the cases. `quick` keeps V ≤ 4097 and
/// fewer rows, within one 1024-row tile (for tests under the emulator).
std::vector<SoftmaxVerifyCase> standard_softmax_verify_cases(bool quick, std::uint64_t seed);

}  // namespace lossbench
