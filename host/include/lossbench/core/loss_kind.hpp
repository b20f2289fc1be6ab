#pragma once
// Which loss, and how it is reduced over the batch.
#include <string_view>

namespace lossbench {

/// mse: C = ½(y − a)² with a = σ(z).   bce: binary cross-entropy from logits.
enum class Loss { mse, bce };

/// none: one loss per element.  sum: Σ ℓ_i.  mean: (1/n) Σ ℓ_i (NaN for n = 0).
enum class Reduction { none, mean, sum };

std::string_view to_string(Loss loss);
std::string_view to_string(Reduction reduction);
/// Parse "mse" | "bce"; throws InputError naming the bad value otherwise.
Loss parse_loss(std::string_view name);
/// Parse "none" | "mean" | "sum"; throws InputError naming the bad value otherwise.
Reduction parse_reduction(std::string_view name);

}  // namespace lossbench
