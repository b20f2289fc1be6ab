#pragma once
// Verification of the training step (train_step.hpp) against the
// double-precision reference (train_step_reference.hpp): one case = one
// batch shape, loss and alignment of X on fresh random inputs. Each run
// checks every element of dW, db and L against the bound of
// train_step_bounds.hpp, that every output was written (poisoned with NaN
// first), that nothing next to an output was (guard elements, see
// guarded_array.hpp), and that a second run gives the same bits; the
// findings go to a MismatchLog, as the fused loss's do (verify.hpp).
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/loss_kind.hpp"
#include "lossbench/train/train_step.hpp"
#include "lossbench/train/train_step_bounds.hpp"
#include "lossbench/verify/mismatch_log.hpp"

namespace lossbench {

struct TrainStepVerifyCase {
  Loss loss = Loss::bce;
  std::int64_t n = 1;  // rows
  int d = 1;           // inputs per row
  int k = 1;           // outputs per row
  /// Floats by which X starts past a 16-byte boundary: 0 takes the kernel's
  /// float4 staging path, 1 its scalar path.
  int x_offset = 0;
  /// Weights 30 times larger: |z| in the tens to hundreds, σ saturated, MSE's
  /// gradient vanishing (the seed's slowdown) and BCE's staying a − y.
  bool saturated = false;
  /// The step as train() calls it (trainer.hpp): X as uint8 pixels
  /// (x_offset bytes off alignment: 1 takes the element-by-element path),
  /// the batch read through a shuffled order of 2n + 3 rows at step 1 of a
  /// cursor (step_rows = n), the SGD update in place (η = 0.5), L the only
  /// other output. The updated W and b are checked against fma(−η, g, W) of
  /// the reference's gradient g within η times g's bound plus the rounding,
  /// L in its step's slot, the cursor advanced by one.
  bool trainer = false;
  std::uint64_t seed = 1;

  /// e.g. "train/bce/n=65/d=784/k=10/off=1", with "/saturated" or "/trainer" appended.
  std::string name() const;
};

struct TrainStepVerifyResult {
  TrainStepVerifyCase config;
  double grad_weights_error = 0;  // max over dW (a trainer case: the updated W) of |Δ| / bound (<= 1 passes)
  double grad_bias_error = 0;     // same over db (the updated b)
  double loss_error = 0;          // same for L
  bool all_written = true;        // no output left poisoned, no guard element touched
  bool deterministic = true;      // a second run gave the same bits
  /// The first run's bytes of dW, db and L, in that order: for comparing
  /// runs under other settings (schedules, worker counts).
  std::vector<unsigned char> output_bits;
  MismatchLog log;                // the first few failing elements and every other problem

  bool passed() const { return log.passed(); }
};

/// What computes the step on the case's arrays and returns once its outputs
/// can be downloaded (a download waits for the device's default stream).
using TrainStepRunner = std::function<void(const TrainStepCall& call)>;

/// Runs one case with train_step() on `backend` (emu, cuda or cpu; ref checks
/// the reference against itself), with a workspace of train_step_workspace_size
/// full of garbage (the step needs none zeroed), bounded by the backend's
/// train_step_sum_lengths. Throws InputError for a shape beyond the
/// backend's train_step_limits, BackendError when the backend cannot run.
TrainStepVerifyResult verify_train_step_case(const TrainStepVerifyCase& config, Backend backend);

/// The same checks of another implementation of the step, e.g. the cuBLAS
/// baseline, whose float sums have other `lengths`. Its arrays live on
/// `backend`. Plain steps only: a trainer case is an InputError.
TrainStepVerifyResult verify_train_step_case(const TrainStepVerifyCase& config, Backend backend,
                                             const TrainStepRunner& run, TrainStepSumLengths lengths);

/// The sweep `lossbench verify` runs after the loss cases, each shape with
/// every loss (mse, bce, softmax-ce; bce alone at the block cap) at
/// x_offset 0 and 1, seeds from `seed` up: n = 1, 7, 8, 9,
/// 63, 64, 65, 77, 1003 (one row, around the 8-row tile and the 64-row block
/// minimum, several blocks with a partial last tile) and 16385 (the
/// 256-block cap); d = 1, 3, 4, 5 (around the float4 width), 31, 32, 33,
/// 255, 256, 257, 513 (around the 32 lanes and the 256 columns a thread
/// steps over), 784 (Fashion-MNIST), 1023 and 1024 (the kernel's maximum);
/// k = 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 16 (every compiled output
/// capacity and the values just above one); a saturated batch; and the
/// trainer's call (`trainer`) at n × d × k = 9 × 33 × 5, 65 × 784 × 10 and
/// (not quick) 1003 × 784 × 10. Every
/// shape is within the kernels' train_step_limits. `quick` leaves out the
/// four largest batches (n × d = 300 × 1024, 1003 × 129, 1003 × 784 and
/// 16385 × 4): about 9 s under the emulator instead of 105.
std::vector<TrainStepVerifyCase> standard_train_step_verify_cases(bool quick, std::uint64_t seed);

/// The cases of one shape: each of `losses` with X aligned (the packed
/// staging path) and one element off (the scalar path), appended to `cases`,
/// seeded `seed` + their position in `cases`.
void append_train_step_verify_cases(std::vector<TrainStepVerifyCase>& cases, std::int64_t n, int d, int k,
                                    std::initializer_list<Loss> losses, bool saturated, std::uint64_t seed,
                                    bool trainer = false);

}  // namespace lossbench
