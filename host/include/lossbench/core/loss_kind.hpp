#pragma once
// Which loss, and how it is reduced over the batch.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace lossbench {

/// mse: C = ½(y − a)² with a = σ(z) or a = z (Activation below).
/// bce: binary cross-entropy from logits.
/// Both are elementwise: one logit and one target per loss (fused_loss.hpp).
/// softmax_ce: cross-entropy of softmax over a row of outputs, a loss per
/// row, not per element: only the training step takes it (train_step.hpp;
/// fused_loss() rejects it, softmax_loss.hpp is the general softmax API).
enum class Loss { mse, bce, softmax_ce };

/// What the elementwise losses apply to the logit z before comparing it with
/// the target y: sigmoid, a = σ(z) (a probability; targets in [0, 1]), or
/// identity, a = z (a regression output; any real target). bce is defined
/// from logits and takes sigmoid only; mse takes either (fused_loss.hpp).
enum class Activation { sigmoid, identity };

/// A loss that fused_loss() computes, with its activation (a Loss alone
/// converts to one with the sigmoid).
struct ElementwiseLoss {
  constexpr ElementwiseLoss(Loss l, Activation a = Activation::sigmoid) : loss(l), activation(a) {}  // NOLINT
  Loss loss;
  Activation activation;
};
/// Every one, in the order verify and the benchmarks list them: mse, mse
/// with activation identity, bce.
std::span<const ElementwiseLoss> elementwise_losses();
/// "mse", "mse-identity", "bce": the names of cases, benchmarks and table rows.
std::string name_of(ElementwiseLoss loss);

/// none: one loss per element.  sum: Σ ℓ_i.  mean: (1/n) Σ ℓ_i (NaN for n = 0).
enum class Reduction { none, mean, sum };

/// "mse", "bce", "softmax-ce".
std::string_view to_string(Loss loss);
/// Whether the loss is elementwise (mse, bce): what fused_loss() computes.
bool is_elementwise(Loss loss);
std::string_view to_string(Reduction reduction);
/// "sigmoid", "identity".
std::string_view to_string(Activation activation);
/// Parse "mse" | "bce" | "softmax-ce"; throws InputError naming the bad value otherwise.
Loss parse_loss(std::string_view name);
/// Parse "none" | "mean" | "sum"; throws InputError naming the bad value otherwise.
Reduction parse_reduction(std::string_view name);
/// Parse "sigmoid" | "identity"; throws InputError naming the bad value otherwise.
Activation parse_activation(std::string_view name);

// What a reduction means, in one place for every backend, the reference and
// the checks of them.

/// The reduced loss is the sum of the n per-element losses times this: 1 for
/// sum (and none, which has no reduced loss), 1/n for mean, and NaN for the
/// mean of nothing (n = 0), as in PyTorch.
double reduction_multiplier(Reduction reduction, std::int64_t n);

/// Element i's gradient is dℓ_i/dz_i times this: grad_scale/n for mean with
/// n > 0, grad_scale otherwise. Computed in double; a kernel rounds it to
/// float once per call.
double gradient_multiplier(Reduction reduction, std::int64_t n, double grad_scale);

}  // namespace lossbench
