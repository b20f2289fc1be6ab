#pragma once
// Random inputs for verification, drawn to include the extremes.
#include <cstdint>
#include <vector>

#include "lossbench/core/dtype.hpp"
#include "lossbench/core/loss_kind.hpp"

namespace lossbench::detail {

/// Logits and targets of n elements, stored in `dtype` (so the reference
/// sees exactly what the kernel sees). Logits mix normal values, saturated
/// ones up to |z| = 1e4, exact zeros, tiny values and ±inf; targets are hard
/// labels 0 and 1 and soft labels in (0, 1). With `finite_loss`, an infinite
/// logit is paired with the target it agrees with (+inf with 1, −inf with
/// 0), so that every loss, and hence the reduced loss, stays finite.
/// For activation identity (a regression output) the targets are reals
/// drawn like the logits, some equal to their logit or one ulp-scale step
/// from it (a zero or tiny difference), and ±inf; with `finite_loss` no
/// logit or target is infinite.
struct VerifyInputs {
  std::vector<unsigned char> logits;
  std::vector<unsigned char> targets;
};
VerifyInputs make_verify_inputs(DType dtype, std::int64_t n, std::uint64_t seed, bool finite_loss,
                                Activation activation = Activation::sigmoid);

}  // namespace lossbench::detail
