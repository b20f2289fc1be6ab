#pragma once
// Random inputs for verification, drawn to include the extremes.
#include <cstdint>
#include <optional>
#include <vector>

#include "lossbench/core/broadcast.hpp"
#include "lossbench/verify/verify.hpp"
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

/// An operand broadcast over the input, its values stored in the dtype.
struct VerifyOperand {
  std::vector<unsigned char> values;
  BroadcastLayout layout;
};
struct VerifyWeightArrays {
  std::optional<VerifyOperand> weight;
  std::optional<VerifyOperand> pos_weights;
};

/// The classes of a verify case's (rows, classes) view of n elements: the
/// largest divisor of n up to 16 (1 for n = 0).
std::int64_t verify_classes(std::int64_t n);

/// The weights a case asks for: weights mix 0, 1, 1e4,
/// the dtype's smallest subnormal, negative and ordinary values; pos_weights
/// (one per class) 0, ¼, 1, 3 and 1e4.
VerifyWeightArrays make_verify_weights(VerifyWeights weights, bool class_pos_weights, DType dtype, std::int64_t n,
                                       std::uint64_t seed);

}  // namespace lossbench::detail
