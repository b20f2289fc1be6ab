#include "lossbench/loss/fused_loss_bounds.hpp"

#include <cmath>
#include <limits>

#include "lossbench/reference/fused_loss_reference.hpp"

namespace lossbench {

double output_rounding(DType dtype) {
  switch (dtype) {
    case DType::f32: return 0.0;
    case DType::f16: return std::ldexp(1.0, -11);
    case DType::bf16: return std::ldexp(1.0, -8);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double output_underflow(DType dtype) {
  switch (dtype) {
    case DType::f32: return std::ldexp(1.0, -150);  // smallest subnormal 2^-149
    case DType::f16: return std::ldexp(1.0, -25);   // 2^-24
    case DType::bf16: return std::ldexp(1.0, -134);  // 2^-133
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double expected_output(DType dtype, double ref) {
  // The midpoint between the largest finite value and the next power of two
  // the format would reach with one more exponent: from there on, ties and
  // beyond round to infinity.
  double overflow = std::numeric_limits<double>::quiet_NaN();
  switch (dtype) {
    case DType::f32: overflow = std::ldexp(2.0 - std::ldexp(1.0, -24), 127); break;
    case DType::f16: overflow = 65520.0; break;  // 65504 + 16
    case DType::bf16: overflow = std::ldexp(2.0 - std::ldexp(1.0, -8), 127); break;
  }
  if (std::fabs(ref) >= overflow) return std::copysign(std::numeric_limits<double>::infinity(), ref);
  return ref;
}

namespace {

// The size of the terms that loss_math.cuh's weighted_sigmoid_minus_target
// subtracts to form w·a − p·y: no float formula is more accurate than they are.
double subtracted_terms(double z, double y, double w, double p) {
  const double a = reference::sigmoid(z);
  const double one_minus_a = reference::sigmoid(-z);
  if (z >= 0 && y >= 0.5) return (1.0 - y) + w * one_minus_a;
  if (z < 0 && y <= 0.5) return w * a + p * y;
  // a and y on opposite sides of ½: a − y has no cancellation; only p ≠ 1 subtracts.
  return std::fabs(a - y) + std::fabs(p - 1.0) * y * one_minus_a;
}

// The bound of a weighted value: |w| times the unweighted bound, and the
// rounding of the product by w.
template <class Bound>
double weighted_bound(const ElementBoundInput& e, double ref, Bound&& unweighted_bound) {
  ElementBoundInput unweighted = e;
  unweighted.weight = 1.0;
  const double w = std::fabs(e.weight);
  const double floor = output_underflow(e.dtype) + kFloatMathUnderflow;
  if (w == 0.0 || !std::isfinite(w)) return floor;  // 0 or NaN either way: equal values pass
  return w * unweighted_bound(unweighted, ref / e.weight) + kGradMathRelativeBound * std::fabs(ref) + floor;
}

}  // namespace

double grad_error_bound(const ElementBoundInput& e, double grad_ref) {
  if (e.weight != 1.0) return weighted_bound(e, grad_ref, grad_error_bound);
  const double magnitude = std::fabs(grad_ref);
  if (e.activation == Activation::identity) {  // z − y, correctly rounded: nothing cancels
    return kGradMathRelativeBound * magnitude + output_rounding(e.dtype) * magnitude + output_underflow(e.dtype) +
           kFloatMathUnderflow * (1.0 + std::fabs(e.grad_multiplier));
  }
  const bool bce = e.loss == Loss::bce;
  const double p = bce ? e.pos_weight : 1.0;
  const double w = bce ? 1.0 + (p - 1.0) * e.y : 1.0;
  const double k = bce ? 1.0 : reference::sigmoid_derivative(e.z);
  const double terms = subtracted_terms(e.z, e.y, w, p);
  const double cancellation_scale = std::fabs(e.grad_multiplier) * terms * k;
  const double big_p = std::fmax(1.0, p);
  return kGradMathRelativeBound * (magnitude + cancellation_scale) + output_rounding(e.dtype) * magnitude +
         output_underflow(e.dtype) + kFloatMathUnderflow * (1.0 + std::fabs(e.grad_multiplier) * big_p);
}

double elementwise_loss_error_bound(const ElementBoundInput& e, double loss_ref) {
  if (e.weight != 1.0) return weighted_bound(e, loss_ref, elementwise_loss_error_bound);
  const bool sigmoid_mse = e.loss == Loss::mse && e.activation == Activation::sigmoid;
  const double cancellation_scale =
      sigmoid_mse ? std::fabs(reference::sigmoid(e.z) - e.y) * (1.0 + std::fabs(e.y)) : 0.0;
  const double magnitude = std::fabs(loss_ref);
  const double big_p = e.loss == Loss::bce ? std::fmax(1.0, e.pos_weight) : 1.0;
  return kGradMathRelativeBound * (magnitude + cancellation_scale) + output_rounding(e.dtype) * magnitude +
         output_underflow(e.dtype) + kFloatMathUnderflow * (1.0 + big_p);
}

double reduced_loss_error_bound(double magnitude, std::int64_t n, Reduction reduction, double pos_weight,
                                double max_weight) {
  const double per_element_floor = kFloatMathUnderflow * std::fmax(1.0, pos_weight) * std::fmax(1.0, max_weight);
  const double underflow = reduction == Reduction::mean ? per_element_floor
                                                        : per_element_floor * static_cast<double>(n);
  return kReducedLossRelativeBound * std::fabs(magnitude) + underflow;
}

double error_in_bound_units(double got, double ref, double bound) {
  if (got == ref) return 0.0;  // also equal infinities
  if (std::isnan(got) && std::isnan(ref)) return 0.0;
  const double difference = std::fabs(got - ref);
  if (std::isnan(difference)) return std::numeric_limits<double>::infinity();
  if (bound == 0.0) return std::numeric_limits<double>::infinity();
  return difference / bound;
}

}  // namespace lossbench
