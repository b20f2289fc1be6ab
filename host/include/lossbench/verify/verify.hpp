#pragma once
// Verification of the fused loss kernels against the double-precision
// reference: one case = one configuration of fused_loss() on fresh random
// inputs. Each run checks, beyond the error bounds of fused_loss_bounds.hpp,
// that every output element was written (outputs are poisoned with NaN
// first), that nothing was written outside the outputs (guard elements on
// both sides, guarded_array.hpp), and that a second run gives the same bits;
// the findings go to a MismatchLog. The training step's counterpart is
// verify_train_step.hpp.
#include <cstdint>
#include <string>
#include <vector>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/dtype.hpp"
#include "lossbench/core/loss_kind.hpp"
#include "lossbench/verify/mismatch_log.hpp"

namespace lossbench {

/// Which weight a case gives (fused_loss.hpp's weight), over its input seen
/// as (rows, classes) with classes the largest divisor of n up to 16: none,
/// one per element, one per class (shape (classes,)), one per row ((rows, 1)).
enum class VerifyWeights { none, same_shape, per_class, per_row };

struct VerifyCase {
  Loss loss = Loss::bce;
  Activation activation = Activation::sigmoid;  // identity: mse only
  Reduction reduction = Reduction::mean;
  DType dtype = DType::f32;
  std::int64_t n = 0;
  /// Elements by which every array starts past a 256-byte boundary: 0 takes
  /// the 16-byte vector path, 1 (an odd pointer offset) the scalar path.
  int offset = 0;
  bool grad = true;          // compute the gradient
  bool in_place = false;     // ... written over the logits
  bool elementwise_loss = true;  // reduction none: write ℓ_i
  float pos_weight = 1.0f;
  float grad_scale = 1.0f;
  VerifyWeights weights = VerifyWeights::none;
  bool class_pos_weights = false;  // bce: pos_weights, one per class
  std::uint64_t seed = 1;

  /// e.g. "bce/f16/mean/grad-inplace/pw=2.5/off=1"; "mse-identity/..." for
  /// mse without the sigmoid; "/w=class", "/pw=class" for weighted cases.
  std::string name() const;
};

struct VerifyResult {
  VerifyCase config;
  double grad_error = 0;  // max over elements of |Δ| / bound (<= 1 passes); 0 when no gradient
  double loss_error = 0;  // same for the reduced or per-element loss
  bool all_written = true;     // no output element left poisoned, no guard element touched
  bool deterministic = true;   // a second run gave the same bits
  MismatchLog log;             // the first few failing elements and every other problem

  bool passed() const { return log.passed(); }
};

/// Runs one case on `backend` (emu, cuda or cpu; ref checks the reference against itself).
VerifyResult verify_case(const VerifyCase& config, Backend backend);

/// The sweep `lossbench verify` runs: every loss (mse with either
/// activation) × dtype × reduction ×
/// option over sizes 0, 1, 3, 4, 7, 8, 31, 32, 33, 255, 256, 257, 4097,
/// 10^6 + 3 and random sizes, at aligned and odd offsets. `quick` drops the
/// largest size and some combinations (for tests under the emulator).
std::vector<VerifyCase> standard_verify_cases(bool quick, std::uint64_t seed);

}  // namespace lossbench
