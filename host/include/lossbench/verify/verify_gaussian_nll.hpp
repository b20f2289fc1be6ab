#pragma once
// Verification of gaussian_nll() (loss/gaussian_nll.hpp) on a backend against
// the double-precision reference (reference/gaussian_nll_reference.hpp): one
// case = one dtype, reduction, set of outputs and options on given or fresh
// random inputs. Each run checks every element of grad_mu, grad_var and ℓ
// (or the reduced loss) against the bounds of gaussian_nll_bounds.hpp, that
// every output was written (poisoned with NaN first), that nothing next to
// an output was (guard elements, guarded_array.hpp), and that a second run
// gives the same bits; the findings go to a MismatchLog, as the fused
// loss's do (verify.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/dtype.hpp"
#include "lossbench/core/loss_kind.hpp"
#include "lossbench/verify/mismatch_log.hpp"

namespace lossbench {

struct GaussianNllVerifyCase {
  Reduction reduction = Reduction::mean;
  DType dtype = DType::f32;
  std::int64_t n = 0;
  /// Elements by which every array starts past a 256-byte boundary: 0 takes
  /// the kernel's 16-byte pack path, 1 (an odd pointer offset) its scalar path.
  int offset = 0;
  bool grad_mu = true;
  bool grad_var = true;
  bool in_place = false;          // grad_mu written over mu, grad_var over var
  bool elementwise_loss = true;   // reduction none: write ℓ_i
  bool full = false;
  float eps = 1e-6f;
  float grad_scale = 1.0f;
  std::uint64_t seed = 1;

  /// e.g. "gnll/f16/mean/mu+var-inplace/full/eps=0.001/gs=0.5/off=1".
  std::string name() const;
};

/// μ, y and var of n elements, stored in a case's dtype, so that the
/// reference sees exactly what the backend sees.
struct GaussianNllInputs {
  std::vector<unsigned char> mu;
  std::vector<unsigned char> target;
  std::vector<unsigned char> var;
};

/// Random finite inputs with the extremes drawn in: |μ| from 0 to 1e4 (so
/// residuals up to ~1e4), y equal to μ, near it or far from it; var from
/// 1e-8 to 1e4, exactly 0, below eps and exactly eps. Within the range where
/// gaussian_nll_bounds.hpp holds for eps >= 1e-6.
GaussianNllInputs make_gaussian_nll_inputs(DType dtype, std::int64_t n, std::uint64_t seed);

struct GaussianNllVerifyResult {
  GaussianNllVerifyCase config;
  MismatchLog log;  // the largest error in units of the bound, the first few failing elements, every other problem

  bool passed() const { return log.passed(); }
};

/// Runs one case on `backend` (emu, cuda or cpu; ref checks the reference
/// against itself) on make_gaussian_nll_inputs(config.dtype, config.n, config.seed).
GaussianNllVerifyResult verify_gaussian_nll_case(const GaussianNllVerifyCase& config, Backend backend);
/// The same on given inputs (n elements each, in config.dtype); any finite
/// or non-finite values, var >= 0 or NaN. An output whose reference value
/// rounds to ±inf in the dtype must be that infinity.
GaussianNllVerifyResult verify_gaussian_nll_case(const GaussianNllVerifyCase& config, const GaussianNllInputs& inputs,
                                                 Backend backend);

/// The sweep: n = 0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17 (around every vector
/// width), 255, 256, 257, 4095, 4096, 4097 (around the GPU's block and tile),
/// 8191, 8192, 8193 (around the cpu's tile) and a random size up to 20000
/// (two unless `quick`), × f32/f16/bf16 × none/sum/mean × five option sets
/// (both gradients; both in place with full; grad_mu alone with eps = 1e-3
/// and grad_scale 0.5; grad_var alone with full and grad_scale 64; the loss
/// alone) × offsets 0 and 1; unless `quick`, also n = 10^6 + 3 for each
/// dtype and reduction. Seeds from `seed` up.
std::vector<GaussianNllVerifyCase> standard_gaussian_nll_cases(bool quick, std::uint64_t seed);

}  // namespace lossbench
