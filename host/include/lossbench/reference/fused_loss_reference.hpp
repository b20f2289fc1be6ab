#pragma once
// The CPU reference: double-precision sigmoid, losses and gradients, written
// for clarity rather than speed. Every kernel is checked against it.
//
// Notation (from the seed): z is a logit, a = σ(z) the sigmoid output, y the
// target (a probability in [0, 1]; soft labels allowed), ℓ the loss of one
// element and C the reduced loss over a batch of n elements.
//
//   MSE:  ℓ = ½(y − a)²            dℓ/dz = (a − y)·σ'(z),  σ'(z) = a(1 − a)
//   BCE:  ℓ = −[y ln a + (1 − y) ln(1 − a)]
//           = max(z, 0) − z·y + log1p(e^{−|z|})   (the stable form we compute)
//         dℓ/dz = a − y                          (σ' cancels)
//   MSE on the raw output (activation identity): ℓ = ½(y − z)², dℓ/dz = z − y
//
// Inputs of any dtype are converted exactly to double; all arithmetic is in
// double, and sums use compensated (Neumaier) summation, so the reduced loss
// is accurate to a few double ulps for any n we can hold in memory.
#include <cstdint>
#include <optional>
#include <vector>

#include "lossbench/core/array_view.hpp"
#include "lossbench/core/broadcast.hpp"
#include "lossbench/core/loss_kind.hpp"

namespace lossbench::reference {

/// a = σ(z) = 1 / (1 + e^{−z}), without overflow for any z; σ(+inf) = 1, σ(−inf) = 0.
double sigmoid(double z);

/// σ'(z) = σ(z)·σ(−z), which equals a(1 − a) but does not cancel when a → 1.
double sigmoid_derivative(double z);

/// The loss of one element and its derivative with respect to the logit.
struct LossAndGrad {
  double loss;
  double grad;
};

/// ℓ = ½(y − a)², dℓ/dz = (a − y)·σ(z)σ(−z).
LossAndGrad mse(double z, double y);

/// ℓ = max(z, 0) − z·y + log1p(e^{−|z|}), dℓ/dz = σ(z) − y. Finite for every
/// finite z (|z| up to 1e30 and beyond). At z = ±inf it returns the limit:
/// 0 when the target agrees exactly (z = +inf with y = 1, z = −inf with y = 0),
/// +inf otherwise.
///
/// With a pos_weight p (PyTorch's BCEWithLogitsLoss): ℓ = −[p·y ln a + (1 − y) ln(1 − a)],
/// dℓ/dz = w·a − p·y with w = 1 + (p − 1)·y; p = 1 is the plain loss above.
LossAndGrad bce_with_logits(double z, double y, double pos_weight = 1.0);

/// ℓ = ½(y − z)², dℓ/dz = z − y: MSE without the sigmoid (a regression output).
LossAndGrad identity_mse(double z, double y);

/// Dispatches to mse(), identity_mse() or bce_with_logits() (pos_weight
/// applies to bce only, activation identity to mse only: InputError
/// otherwise). InputError for softmax_ce, a loss per row (softmax_reference.hpp).
LossAndGrad elementwise(Loss loss, double z, double y, double pos_weight = 1.0,
                        Activation activation = Activation::sigmoid);

/// Throws InputError naming the first element of `targets` that is not a
/// valid target, with its index and value: NaN or outside [0, 1] for the
/// sigmoid (probabilities), NaN for identity (any other real is a target).
void validate_targets(ConstArrayView targets, Activation activation = Activation::sigmoid);

/// An operand read through a broadcast: element i of the input reads
/// data[broadcast_offset(layout, i)], stored in `dtype`.
struct BroadcastView {
  const void* data = nullptr;
  DType dtype = DType::f32;
  BroadcastLayout layout;
  double at(std::int64_t i) const;
};

struct Options {
  /// Check every target with validate_targets() before computing.
  bool validate_targets = false;
  /// sigmoid, or identity (mse only).
  Activation activation = Activation::sigmoid;
  /// BCE's pos_weight p (must be 1 for MSE, and finite and >= 0).
  double pos_weight = 1.0;
  /// Multiplies the gradient (an upstream gradient or a loss scale); not the loss.
  double grad_scale = 1.0;
  /// w: multiplies element i's loss and gradient (PyTorch's weight).
  std::optional<BroadcastView> weight = std::nullopt;
  /// bce: element i's p, in place of pos_weight (which must then be 1).
  /// Its values are not checked, as PyTorch does not check them.
  std::optional<BroadcastView> pos_weights = std::nullopt;
};

struct Result {
  /// The reduced loss C: Σ ℓ_i for sum, (1/n) Σ ℓ_i for mean. For n = 0 the
  /// sum is 0 and the mean is NaN, as in PyTorch. Empty for Reduction::none.
  std::optional<double> reduced_loss;
  /// ℓ_i for every element; filled only for Reduction::none.
  std::vector<double> elementwise_loss;
  /// grad_scale · dC/dz_i: the gradient of the reduced loss, so mean divides
  /// by n. For none it is grad_scale · dℓ_i/dz_i.
  std::vector<double> grad;
};

/// Computes loss and gradient for every element. logits and targets must have
/// the same size (InputError otherwise); each may be f32, f16 or bf16. mse or
/// bce only (InputError for softmax_ce, which is not elementwise), and
/// activation identity with mse only.
Result compute(Loss loss, Reduction reduction, ConstArrayView logits, ConstArrayView targets,
               const Options& options = {});

/// Sum with Neumaier's compensation: error about one double ulp of the result
/// rather than n ulps.
double compensated_sum(const std::vector<double>& values);

}  // namespace lossbench::reference
