#pragma once
// The checks train_step() and evaluate() share: both run the single-layer
// model's kernels, so they take the same losses, input types and shapes.
// Each message starts with the facility's name. Internal.
#include <cstdint>
#include <string_view>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/loss_kind.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench::detail {

/// The loss and the input type are values the kernels know.
void require_train_kinds(std::string_view facility, Loss loss, InputType input_type);

/// n (rows), d and k are all >= 1.
void require_positive_shape(std::string_view facility, std::int64_t n, int d, int k);

/// The same, and d and k within the backend's limits, in words a user can act on.
void require_backend_shape(std::string_view facility, std::int64_t n, int d, int k, Backend backend);

/// The η of the call's step on a host backend (ref, cpu): learning_rates at
/// the cursor, else learning_rate. Read before the step advances the cursor.
inline float step_learning_rate(const TrainStepCall& call) {
  return call.learning_rates != nullptr ? call.learning_rates[*call.step] : call.learning_rate;
}

}  // namespace lossbench::detail
