#pragma once
// Random rows for verifying softmax_loss(): logits stored in the case's
// dtype (so that the reference sees exactly what the backend sees), and
// class indices or probability rows to go with them.
#include <cstdint>
#include <vector>

#include "lossbench/verify/verify_softmax.hpp"

namespace lossbench::detail {

/// The label verify gives about one row in ten.
inline constexpr std::int64_t kVerifyIgnoreIndex = -100;

struct SoftmaxVerifyInputs {
  std::vector<unsigned char> logits;   // rows × classes of the case's dtype
  std::vector<unsigned char> targets;  // int32 or int64 labels, or rows × classes probabilities of the dtype
  std::vector<std::int64_t> labels;    // the labels as int64 (class indices only)
  std::vector<unsigned char> class_weight;  // V weights of the dtype, where the case has them
  std::vector<double> class_weight_values;  // the same as double (what the reference takes)
};

/// Three rows in four ordinary (normal, σ = 3), the others extreme: |z| up
/// to 1e4, near 1e4, one confident logit, all equal, and (without label
/// smoothing, whose loss is +inf there) −inf but one or a few. A label is a
/// class whose logit is finite, or kVerifyIgnoreIndex; a probability row has
/// zeros (always where the logit is −inf) and sums to 1 before its rounding
/// to the dtype. Class weights, where the case has them: 0 (one in ten), 1,
/// 1e4, the dtype's smallest subnormal, or uniform in [0, 3).
SoftmaxVerifyInputs make_softmax_verify_inputs(const SoftmaxVerifyCase& config);

}  // namespace lossbench::detail
