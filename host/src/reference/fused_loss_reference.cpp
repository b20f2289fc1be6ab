#include "lossbench/reference/fused_loss_reference.hpp"

#include <cmath>
#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench::reference {

double sigmoid(double z) {
  // exp() is only ever called on a non-positive argument, so it cannot overflow.
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

double sigmoid_derivative(double z) { return sigmoid(z) * sigmoid(-z); }

namespace {

// w·a − p·y = (a − y) − (p − 1)·y·(1 − a), by the rule of
// kernels/loss/loss_math.cuh (weighted_sigmoid_minus_target), which the
// reference follows so that it is accurate wherever the kernels are: with a
// and y on the same side of ½ from the two small terms (1 − y is exact in
// double for y ≥ ½), on opposite sides as (½ − y) + ½·tanh(z/2), a sum
// without cancellation (½ − σ(z) from expm1, exact to a few double ulps even
// for tiny z).
double weighted_sigmoid_minus_target(double z, double y, double w, double p) {
  if (z >= 0 && y >= 0.5) return (1.0 - y) - w * sigmoid(-z);
  if (z < 0 && y <= 0.5) return w * sigmoid(z) - p * y;
  const double m = std::expm1(-std::fabs(z));
  const double h = -0.5 * m / (2.0 + m);  // ½ − σ(−|z|), ≥ 0
  const double a_minus_y = z >= 0 ? (0.5 - y) + h : -((y - 0.5) + h);
  return a_minus_y - (p - 1.0) * y * sigmoid(-z);
}

// c·z where a zero coefficient wins over an infinite z: the limit of the loss
// at z = ±inf exists exactly when the coefficient of the divergent term is 0.
double product_zero_wins(double c, double z) { return c == 0.0 ? 0.0 : c * z; }

// Every loss takes the sigmoid; mse also takes the identity.
void require_activation_of(Loss loss, Activation activation) {
  if (activation == Activation::sigmoid || (loss == Loss::mse && activation == Activation::identity)) return;
  throw InputError("activation " + std::string(to_string(activation)) + " applies to mse only, got " +
                   std::string(to_string(loss)));
}

}  // namespace

LossAndGrad mse(double z, double y) {
  const double a_minus_y = weighted_sigmoid_minus_target(z, y, 1.0, 1.0);
  return {0.5 * a_minus_y * a_minus_y, a_minus_y * sigmoid_derivative(z)};
}

double BroadcastView::at(std::int64_t i) const {
  return load_as_double(data, dtype, static_cast<std::size_t>(broadcast_offset(layout, i)));
}

LossAndGrad identity_mse(double z, double y) {
  const double d = z - y;
  return {0.5 * d * d, d};
}

LossAndGrad bce_with_logits(double z, double y, double pos_weight) {
  // ℓ = (1 − y)·z + w·(log1p(e^{−|z|}) + max(−z, 0)) with w = 1 + (p − 1)·y,
  // split by the sign of z so that no product is inf − inf: for z ≥ 0 the
  // linear part is (1 − y)·z, for z < 0 it is (1 − y − w)·z = −p·y·z.
  // Both are formed without the cancellation of z − z·y.
  const double w = 1.0 + (pos_weight - 1.0) * y;
  const double linear = z >= 0 ? product_zero_wins(1.0 - y, z) : product_zero_wins(-pos_weight * y, z);
  const double softplus_tail = w * std::log1p(std::exp(-std::fabs(z)));
  // dℓ/dz = w·a − p·y, which reduces to a − y for p = 1.
  return {linear + softplus_tail, weighted_sigmoid_minus_target(z, y, w, pos_weight)};
}

LossAndGrad elementwise(Loss loss, double z, double y, double pos_weight, Activation activation) {
  require_activation_of(loss, activation);
  switch (loss) {
    case Loss::mse: return activation == Activation::identity ? identity_mse(z, y) : mse(z, y);
    case Loss::bce: return bce_with_logits(z, y, pos_weight);
    case Loss::softmax_ce: break;  // a row's loss: softmax_reference.hpp
  }
  throw InputError("reference::elementwise: loss value " + std::to_string(static_cast<int>(loss)) +
                   " is not an elementwise loss (expected mse or bce)");
}

void validate_targets(ConstArrayView targets, Activation activation) {
  const bool probabilities = activation == Activation::sigmoid;
  for (std::int64_t i = 0; i < targets.size; ++i) {
    const double y = load_as_double(targets.data, targets.dtype, static_cast<std::size_t>(i));
    if (std::isnan(y)) {
      throw InputError("targets[" + std::to_string(i) + "] is NaN: targets must be " +
                       (probabilities ? "probabilities in [0, 1]" : "numbers (activation identity)"));
    }
    if (!probabilities) continue;
    if (y < 0.0 || y > 1.0) {
      throw InputError("targets[" + std::to_string(i) + "] = " + std::to_string(y) +
                       " is outside [0, 1]: targets must be probabilities");
    }
  }
}

double compensated_sum(const std::vector<double>& values) {
  double sum = 0.0;
  double compensation = 0.0;
  for (const double v : values) {
    const double t = sum + v;
    // Whichever operand is larger keeps its bits; recover the other's lost low part.
    compensation += std::fabs(sum) >= std::fabs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
  }
  // `sum` is the plain running sum. Once it is infinite (an infinite term, or
  // overflow) the compensation is inf − inf = NaN and means nothing: the
  // plain sum is the right answer.
  if (!std::isfinite(sum)) return sum;
  return sum + compensation;
}

Result compute(Loss loss, Reduction reduction, ConstArrayView logits, ConstArrayView targets,
               const Options& options) {
  if (!is_elementwise(loss)) {
    throw InputError("reference::compute: loss value " + std::to_string(static_cast<int>(loss)) +
                     " is not an elementwise loss (expected mse or bce)");
  }
  if (logits.size != targets.size) {
    throw InputError("logits have " + std::to_string(logits.size) + " elements but targets have " +
                     std::to_string(targets.size) + ": they must match");
  }
  if (logits.size < 0) {
    throw InputError("array size must be non-negative, got " + std::to_string(logits.size));
  }
  if ((logits.data == nullptr || targets.data == nullptr) && logits.size > 0) {
    throw InputError("null logits or targets pointer with " + std::to_string(logits.size) + " elements");
  }
  if (!(options.pos_weight >= 0.0) || std::isinf(options.pos_weight)) {
    throw InputError("pos_weight must be finite and >= 0, got " + std::to_string(options.pos_weight));
  }
  if (loss != Loss::bce && options.pos_weight != 1.0) {
    throw InputError("pos_weight applies to bce only, got pos_weight = " + std::to_string(options.pos_weight) +
                     " with mse");
  }
  if (!std::isfinite(options.grad_scale)) {
    throw InputError("grad_scale must be finite, got " + std::to_string(options.grad_scale));
  }
  require_activation_of(loss, options.activation);
  if (options.pos_weights && loss != Loss::bce) throw InputError("pos_weights applies to bce only");
  if (options.pos_weights && options.pos_weight != 1.0) {
    throw InputError("pos_weights and a scalar pos_weight of " + std::to_string(options.pos_weight) +
                     " are both given: give one");
  }
  if (options.validate_targets) validate_targets(targets, options.activation);

  const auto n = static_cast<std::size_t>(logits.size);
  std::vector<double> losses(n);
  Result result;
  result.grad.resize(n);
  const double grad_multiplier = gradient_multiplier(reduction, logits.size, options.grad_scale);
  for (std::size_t i = 0; i < n; ++i) {
    const auto index = static_cast<std::int64_t>(i);
    const double p = options.pos_weights ? options.pos_weights->at(index) : options.pos_weight;
    const double w = options.weight ? options.weight->at(index) : 1.0;
    const LossAndGrad r = elementwise(loss, load_as_double(logits.data, logits.dtype, i),
                                      load_as_double(targets.data, targets.dtype, i), p, options.activation);
    losses[i] = w * r.loss;
    result.grad[i] = w * r.grad * grad_multiplier;
  }

  switch (reduction) {
    case Reduction::none:
      result.elementwise_loss = std::move(losses);
      break;
    case Reduction::sum:
    case Reduction::mean:
      result.reduced_loss = compensated_sum(losses) * reduction_multiplier(reduction, logits.size);
      break;
    default:
      throw InputError("reference::compute: unknown reduction value " +
                       std::to_string(static_cast<int>(reduction)));
  }
  return result;
}

}  // namespace lossbench::reference
