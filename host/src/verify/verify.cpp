#include "lossbench/verify/verify.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <random>
#include <sstream>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/loss/fused_loss.hpp"
#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"
#include "lossbench/verify/guarded_array.hpp"
#include "verify/verify_inputs.hpp"

namespace lossbench {
namespace {

struct RunOutputs {
  GuardedContents grad;              // empty payload when no gradient
  GuardedContents elementwise_loss;  // empty payload when not written
  GuardedContents reduced_loss;      // one double, or empty
};

std::string describe_inputs(double z, double y, double p, double w) {
  std::ostringstream s;
  s.precision(9);
  s << "z = " << z << ", y = " << y;
  if (p != 1.0) s << ", p = " << p;
  if (w != 1.0) s << ", w = " << w;
  return s.str();
}

double load_double(const std::vector<unsigned char>& bytes) {
  double value;
  std::memcpy(&value, bytes.data(), sizeof value);
  return value;
}

}  // namespace

std::string VerifyCase::name() const {
  std::ostringstream s;
  s << name_of({loss, activation}) << '/' << to_string(dtype) << '/' << to_string(reduction) << '/';
  if (grad) {
    s << (in_place ? "grad-inplace" : "grad");
  } else {
    s << "fwd";
  }
  if (pos_weight != 1.0f) s << "/pw=" << pos_weight;
  if (class_pos_weights) s << "/pw=class";
  switch (weights) {
    case VerifyWeights::none: break;
    case VerifyWeights::same_shape: s << "/w=full"; break;
    case VerifyWeights::per_class: s << "/w=class"; break;
    case VerifyWeights::per_row: s << "/w=row"; break;
  }
  if (grad_scale != 1.0f) s << "/gs=" << grad_scale;
  s << "/off=" << offset;
  return s.str();
}

VerifyResult verify_case(const VerifyCase& config, Backend backend) {
  VerifyResult result;
  result.config = config;
  const DType dtype = config.dtype;
  const std::size_t element_bytes = dtype_size(dtype);
  const std::int64_t n = config.n;
  const bool reduces = config.reduction != Reduction::none;
  const bool writes_elementwise = !reduces && config.elementwise_loss;
  const auto inputs = detail::make_verify_inputs(dtype, n, config.seed, reduces, config.activation);

  const detail::VerifyWeightArrays weight_arrays =
      detail::make_verify_weights(config.weights, config.class_pos_weights, dtype, n, config.seed);
  std::optional<BackendBuffer> weight, pos_weights;
  if (weight_arrays.weight) {
    weight.emplace(backend, weight_arrays.weight->values.size());
    weight->upload(weight_arrays.weight->values.data(), weight_arrays.weight->values.size());
  }
  if (weight_arrays.pos_weights) {
    pos_weights.emplace(backend, weight_arrays.pos_weights->values.size());
    pos_weights->upload(weight_arrays.pos_weights->values.data(), weight_arrays.pos_weights->values.size());
  }

  GuardedArray logits(backend, element_bytes, n, config.offset);
  GuardedArray targets(backend, element_bytes, n, config.offset);
  std::optional<GuardedArray> grad;
  if (config.grad && !config.in_place) grad.emplace(backend, element_bytes, n, config.offset);
  std::optional<GuardedArray> elementwise;
  if (writes_elementwise) elementwise.emplace(backend, element_bytes, n, config.offset);
  std::optional<GuardedArray> reduced;
  if (reduces) reduced.emplace(backend, sizeof(double), 1);

  FusedLossCall call;
  call.loss = config.loss;
  call.activation = config.activation;
  call.reduction = config.reduction;
  call.dtype = dtype;
  call.logits = logits.data();
  call.targets = targets.data();
  call.grad = !config.grad ? nullptr : config.in_place ? logits.data() : grad->data();
  call.elementwise_loss = elementwise ? elementwise->data() : nullptr;
  call.reduced_loss = reduced ? reduced->as<double>() : nullptr;
  call.n = n;
  call.pos_weight = config.pos_weight;
  call.grad_scale = config.grad_scale;
  if (weight) {
    call.weight = weight->data();
    call.weight_layout = weight_arrays.weight->layout;
  }
  if (pos_weights) {
    call.pos_weights = pos_weights->data();
    call.pos_weight_layout = weight_arrays.pos_weights->layout;
  }
  BackendBuffer workspace(backend, fused_loss_workspace_size(call.n, call.reduction, backend));
  workspace.fill_bytes(0);
  targets.upload(inputs.targets.data(), inputs.targets.size());

  const auto run = [&]() {
    logits.poison();  // the guards of an in-place gradient are checked too
    logits.upload(inputs.logits.data(), inputs.logits.size());
    if (grad) grad->poison();
    if (elementwise) elementwise->poison();
    if (reduced) reduced->poison();
    fused_loss(call, backend, workspace.data(), workspace.size());
    RunOutputs out;
    if (config.grad) out.grad = (config.in_place ? logits : *grad).download();
    if (elementwise) out.elementwise_loss = elementwise->download();
    if (reduced) out.reduced_loss = reduced->download();
    return out;
  };
  const RunOutputs first = run();
  const RunOutputs second = run();

  reference::Options options;
  options.pos_weight = config.pos_weight;
  options.activation = config.activation;
  options.grad_scale = config.grad_scale;
  // The reference reads the host copies of the weights.
  const auto view_of = [&](const detail::VerifyOperand& o) {
    return reference::BroadcastView{o.values.data(), dtype, o.layout};
  };
  if (weight_arrays.weight) options.weight = view_of(*weight_arrays.weight);
  if (weight_arrays.pos_weights) options.pos_weights = view_of(*weight_arrays.pos_weights);
  const ConstArrayView z_view{inputs.logits.data(), dtype, n};
  const ConstArrayView y_view{inputs.targets.data(), dtype, n};
  const reference::Result ref = reference::compute(config.loss, config.reduction, z_view, y_view, options);

  MismatchLog& log = result.log;
  log.check_guards("the gradient", first.grad.guards_intact);
  log.check_guards("the per-element loss", first.elementwise_loss.guards_intact);
  log.check_guards("the reduced loss", first.reduced_loss.guards_intact);
  const double grad_multiplier = gradient_multiplier(config.reduction, n, config.grad_scale);
  // For the reduced loss's bound: Σ|w_i·ℓ_i| (terms of either sign may
  // cancel), the largest p and |w|.
  double weighted_magnitude = 0.0;
  double max_pos_weight = config.pos_weight;
  double max_weight = 1.0;
  for (std::int64_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const double z = load_as_double(inputs.logits.data(), dtype, k);
    const double y = load_as_double(inputs.targets.data(), dtype, k);
    const double p = options.pos_weights ? options.pos_weights->at(i) : config.pos_weight;
    const double w = options.weight ? options.weight->at(i) : 1.0;
    max_pos_weight = std::fmax(max_pos_weight, p);
    max_weight = std::fmax(max_weight, std::fabs(w));
    if (reduces) {
      weighted_magnitude += std::fabs(w * reference::elementwise(config.loss, z, y, p, config.activation).loss);
    }
    const ElementBoundInput bound_input{config.loss, dtype, z, y, p, grad_multiplier, config.activation, w};
    const auto inputs_of_i = [&] { return describe_inputs(z, y, p, w); };
    if (config.grad) {
      const double got = load_as_double(first.grad.payload.data(), dtype, k);
      const double expected = expected_output(dtype, ref.grad[k]);
      const double bound = grad_error_bound(bound_input, expected);
      result.grad_error = std::max(result.grad_error, log.check("grad", i, got, expected, bound, inputs_of_i));
    }
    if (writes_elementwise) {
      const double got = load_as_double(first.elementwise_loss.payload.data(), dtype, k);
      const double expected = expected_output(dtype, ref.elementwise_loss[k]);
      const double bound = elementwise_loss_error_bound(bound_input, expected);
      result.loss_error = std::max(result.loss_error, log.check("loss", i, got, expected, bound, inputs_of_i));
    }
  }
  if (reduces) {
    const double expected = *ref.reduced_loss;
    const double magnitude = weighted_magnitude * reduction_multiplier(config.reduction, n);
    const double bound = reduced_loss_error_bound(weight_arrays.weight ? magnitude : expected, n, config.reduction,
                                                  max_pos_weight, max_weight);
    result.loss_error = log.check("reduced loss", 0, load_double(first.reduced_loss.payload), expected, bound, [&] {
      return std::string(to_string(config.reduction)) + " of " + std::to_string(n) + " elements";
    });
  }
  log.check_same_bits("the gradient", first.grad.payload, second.grad.payload);
  log.check_same_bits("the per-element loss", first.elementwise_loss.payload, second.elementwise_loss.payload);
  log.check_same_bits("the reduced loss", first.reduced_loss.payload, second.reduced_loss.payload);
  result.all_written = log.unwritten_elements() == 0 && log.guards_intact();
  result.deterministic = log.same_bits();
  return result;
}

std::vector<VerifyCase> standard_verify_cases(bool quick, std::uint64_t seed) {
  std::vector<std::int64_t> sizes = {0, 1, 3, 4, 7, 8, 31, 32, 33, 255, 256, 257, 4097};
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> random_size(1, 20000);
  sizes.push_back(random_size(rng));
  if (!quick) sizes.push_back(random_size(rng));

  struct Option {
    bool grad;
    bool in_place;
    float pos_weight;
    float grad_scale;
  };
  const Option options[] = {{true, false, 1.0f, 1.0f}, {false, false, 1.0f, 1.0f}, {true, true, 1.0f, 1.0f},
                            {true, false, 2.5f, 0.5f}};
  std::vector<VerifyCase> cases;
  const auto add = [&](std::int64_t n, ElementwiseLoss loss, DType dtype, Reduction reduction, const Option& o,
                       int offset, VerifyWeights weights = VerifyWeights::none, bool class_pos_weights = false) {
    VerifyCase c;
    c.loss = loss.loss;
    c.activation = loss.activation;
    c.dtype = dtype;
    c.reduction = reduction;
    c.n = n;
    c.offset = offset;
    c.grad = o.grad;
    c.in_place = o.in_place;
    c.pos_weight = o.pos_weight;
    c.grad_scale = o.grad_scale;
    c.weights = weights;
    c.class_pos_weights = class_pos_weights;
    c.seed = seed + cases.size();
    cases.push_back(c);
  };
  for (const std::int64_t n : sizes) {
    for (const ElementwiseLoss& loss : elementwise_losses()) {
      for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
        for (const Reduction reduction : {Reduction::none, Reduction::mean, Reduction::sum}) {
          for (const Option& o : options) {
            if (o.pos_weight != 1.0f && loss.loss != Loss::bce) continue;  // pos_weight is bce's
            for (const int offset : {0, 1}) add(n, loss, dtype, reduction, o, offset);
          }
          // Weights, each broadcast; for bce also a pos_weight per class, alone and with a full weight.
          for (const VerifyWeights w : {VerifyWeights::same_shape, VerifyWeights::per_class, VerifyWeights::per_row}) {
            for (const int offset : {0, 1}) add(n, loss, dtype, reduction, options[0], offset, w, false);
          }
          if (loss.loss == Loss::bce) {
            add(n, loss, dtype, reduction, options[0], 1, VerifyWeights::none, true);
            add(n, loss, dtype, reduction, options[0], 0, VerifyWeights::same_shape, true);
          }
        }
      }
    }
  }
  if (!quick) {
    // One million and three: many tiles, a partial last tile and a vector tail.
    for (const ElementwiseLoss& loss : elementwise_losses()) {
      for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
        for (const Reduction reduction : {Reduction::none, Reduction::mean, Reduction::sum}) {
          for (const int offset : {0, 1}) add(1000003, loss, dtype, reduction, options[0], offset);
        }
      }
    }
  }
  return cases;
}

}  // namespace lossbench
