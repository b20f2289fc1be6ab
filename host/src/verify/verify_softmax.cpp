#include "lossbench/verify/verify_softmax.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <span>
#include <sstream>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/loss/softmax_bounds.hpp"
#include "lossbench/reference/softmax_reference.hpp"
#include "lossbench/verify/guarded_array.hpp"
#include "verify/softmax_verify_inputs.hpp"

namespace lossbench {
namespace {

namespace ref = reference;

constexpr double kU = kFloatUnitRoundoff;

struct RunOutputs {
  GuardedContents grad;
  GuardedContents unreduced;
  GuardedContents entropy;
  GuardedContents reduced;
  GuardedContents counted;
};

template <class T>
T load_scalar(const std::vector<unsigned char>& bytes) {
  T value;
  std::memcpy(&value, bytes.data(), sizeof value);
  return value;
}

// What one row's expected outputs are, with their bounds in float math
// (before the gradient's multiplier and the rounding to the dtype).
struct RowExpectation {
  bool counted = true;
  double loss = 0.0;
  double loss_bound = 0.0;
  std::vector<double> grad;
  std::vector<double> grad_bound;
  std::vector<double> elements;  // kl only
  std::vector<double> element_bound;
};

// V + Σ_j |log p_j| over the finite ones: what subnormal products of class
// weights can cost (softmax_ce_weighted_hard_loss_error_bound).
double underflow_terms(const ref::SoftmaxRow& row) {
  double terms = static_cast<double>(row.log_prob.size());
  for (const double lp : row.log_prob) terms += std::isfinite(lp) ? std::fabs(lp) : 0.0;
  return terms;
}

// A hard-label row with class weights w: the reference's shares w_j of the
// row (softmax_reference.hpp) and each bound.
void expect_weighted_hard_row(const SoftmaxVerifyCase& c, std::span<const double> z, std::int64_t label,
                              std::span<const double> w, const ref::SoftmaxRow& row, const SoftmaxBoundRow& bound_row,
                              RowExpectation& e) {
  const auto v = z.size();
  const ref::RowLossAndGrad rg = ref::softmax_ce_hard_row(z, label, {c.label_smoothing, 0.0, -100, w});
  e.loss = rg.loss;
  e.grad = rg.grad;
  const double eps = c.label_smoothing;
  std::vector<double> share(v);
  double scale = 0.0;
  for (std::size_t j = 0; j < v; ++j) {
    share[j] = (static_cast<std::int64_t>(j) == label ? (1.0 - eps) * w[j] : 0.0) + eps / static_cast<double>(v) * w[j];
    scale += share[j];
  }
  e.loss_bound = softmax_ce_weighted_hard_loss_error_bound(bound_row, rg.loss, scale, underflow_terms(row));
  for (std::size_t j = 0; j < v; ++j) {
    // The shares' and A's own roundings (2u each), and a subnormal share's.
    e.grad_bound[j] = softmax_grad_error_bound(bound_row, {row.prob[j], row.log_prob[j], scale, share[j], 0.0, true},
                                               rg.grad[j]) +
                      2.0 * kU * (share[j] + row.prob[j] * scale) + 2.0 * kFloatMathUnderflow;
  }
}

RowExpectation expect_row(const SoftmaxVerifyCase& c, std::span<const double> z, std::span<const double> q,
                          std::int64_t label, std::span<const double> w, const ref::SoftmaxRow& row,
                          const SoftmaxBoundRow& bound_row) {
  const auto v = z.size();
  RowExpectation e;
  e.grad.assign(v, 0.0);
  e.grad_bound.assign(v, 0.0);
  if (c.targets != SoftmaxTargets::probabilities) {
    if (label == detail::kVerifyIgnoreIndex) {
      e.counted = false;  // loss and gradient exactly 0
      return e;
    }
    if (!w.empty()) {
      expect_weighted_hard_row(c, z, label, w, row, bound_row, e);
      return e;
    }
    const ref::RowLossAndGrad rg = ref::softmax_ce_hard_row(z, label, {c.label_smoothing, c.z_loss, -100});
    e.loss = rg.loss;
    e.grad = rg.grad;
    e.loss_bound = softmax_ce_hard_loss_error_bound(bound_row, rg.loss, c.z_loss);
    const double eps = c.label_smoothing;
    for (std::size_t j = 0; j < v; ++j) {
      const double share = (static_cast<std::int64_t>(j) == label ? 1.0 - eps : 0.0) + eps / static_cast<double>(v);
      e.grad_bound[j] = softmax_grad_error_bound(
          bound_row, {row.prob[j], row.log_prob[j], 1.0 + 2.0 * c.z_loss * row.lse, share, c.z_loss, false},
          rg.grad[j]);
    }
    return e;
  }
  // Probability rows, smoothed as PyTorch does for cross-entropy: one fused
  // rounding of (1 − ε)·q + ε/V in float (2u of each q'_j), which echoes in
  // the loss and in p_j·Σq' − q'_j; then weighted, q'_j·w_j (u more, and a
  // subnormal product's absolute error).
  std::vector<double> smoothed(q.begin(), q.end());
  const bool kl = c.loss == SoftmaxLoss::kl;
  const double eps = kl ? 0.0 : c.label_smoothing;
  if (eps != 0.0) {
    for (double& x : smoothed) x = (1.0 - eps) * x + eps / static_cast<double>(v);
  }
  for (std::size_t j = 0; j < v && !w.empty(); ++j) smoothed[j] *= w[j];
  double q_sum = 0.0;
  for (const double x : smoothed) q_sum += x;
  const double smoothing_error = (eps != 0.0 ? 2.0 * kU : 0.0) + (w.empty() ? 0.0 : kU);
  const double weight_underflow = w.empty() ? 0.0 : kFloatMathUnderflow;
  const ref::RowLossAndGrad soft = ref::softmax_ce_soft_row(z, smoothed);
  e.grad = soft.grad;
  for (std::size_t j = 0; j < v; ++j) {
    e.grad_bound[j] = softmax_grad_error_bound(bound_row, {row.prob[j], row.log_prob[j], q_sum, smoothed[j], 0.0, true},
                                               soft.grad[j]) +
                      smoothing_error * (smoothed[j] + row.prob[j] * q_sum) + 2.0 * weight_underflow;
  }
  if (!kl) {
    e.loss = soft.loss;
    e.loss_bound = softmax_ce_soft_loss_error_bound(bound_row, soft.loss, q_sum) + smoothing_error * soft.loss +
                   weight_underflow * underflow_terms(row);
    return e;
  }
  const ref::KlRow kr = ref::kl_div_row(z, q);
  e.loss = kr.loss;
  e.loss_bound = kl_div_row_error_bound(bound_row, kr.loss, soft.loss, q_sum);
  e.elements = kr.elements;
  e.element_bound.resize(v);
  for (std::size_t j = 0; j < v; ++j) {
    e.element_bound[j] = kl_div_element_error_bound(bound_row, kr.elements[j], q[j], row.log_prob[j]);
  }
  return e;
}

// What the reduction divides by; the count (or, with class weights, the
// weight) of the rows not ignored for a cross-entropy mean over class indices.
double reduction_divisor(const SoftmaxVerifyCase& c, double counted) {
  const auto rows = static_cast<double>(c.rows);
  switch (c.reduction) {
    case SoftmaxReduction::none:
    case SoftmaxReduction::sum: return 1.0;
    case SoftmaxReduction::batchmean: return rows;
    case SoftmaxReduction::mean: break;
  }
  if (c.loss == SoftmaxLoss::kl) return rows * static_cast<double>(c.classes);
  return c.targets == SoftmaxTargets::probabilities ? rows : counted;
}

std::string describe_row(std::int64_t row, std::span<const double> z, std::int64_t label) {
  std::ostringstream s;
  s.precision(6);
  const auto [lo, hi] = std::minmax_element(z.begin(), z.end());
  s << "row " << row << " (z in [" << *lo << ", " << *hi << "]";
  if (label != -1) s << ", label " << label;
  s << ")";
  return s.str();
}

}  // namespace

std::string SoftmaxVerifyCase::name() const {
  std::ostringstream s;
  if (loss == SoftmaxLoss::kl) {
    s << "kl";
  } else {
    s << (targets == SoftmaxTargets::class_index_i32   ? "ce-i32"
          : targets == SoftmaxTargets::class_index_i64 ? "ce-i64"
                                                       : "ce-soft");
  }
  s << '/' << to_string(dtype) << '/' << to_string(reduction) << "/V=" << classes << "/N=" << rows << '/';
  s << (!grad ? "fwd" : in_place ? "grad-inplace" : "grad");
  if (label_smoothing != 0.0f) s << "/eps=" << label_smoothing;
  if (z_loss != 0.0f) s << "/c=" << z_loss;
  if (class_weight) s << "/cw";
  if (grad_scale != 1.0f) s << "/gs=" << grad_scale;
  if (entropy) s << "/H";
  s << "/off=" << offset;
  return s.str();
}

SoftmaxVerifyResult verify_softmax_case(const SoftmaxVerifyCase& config, Backend backend) {
  SoftmaxVerifyResult result;
  result.config = config;
  const DType dtype = config.dtype;
  const std::size_t value_bytes = dtype_size(dtype);
  const std::int64_t rows = config.rows;
  const std::int64_t v = config.classes;
  const std::int64_t elements = rows * v;
  const bool hard = config.targets != SoftmaxTargets::probabilities;
  const bool kl = config.loss == SoftmaxLoss::kl;
  const bool reduces = config.reduction != SoftmaxReduction::none;
  const bool writes_unreduced = !reduces && config.unreduced;
  const detail::SoftmaxVerifyInputs inputs = detail::make_softmax_verify_inputs(config);

  GuardedArray logits(backend, value_bytes, elements, config.offset);
  const std::size_t target_bytes = !hard ? value_bytes : config.targets == SoftmaxTargets::class_index_i32 ? 4 : 8;
  GuardedArray targets(backend, target_bytes, hard ? rows : elements, config.offset);
  std::optional<GuardedArray> grad;
  if (config.grad && !config.in_place) grad.emplace(backend, value_bytes, elements, config.offset);
  std::optional<GuardedArray> unreduced;
  if (writes_unreduced) unreduced.emplace(backend, value_bytes, kl ? elements : rows, config.offset);
  std::optional<GuardedArray> entropy;
  if (config.entropy) entropy.emplace(backend, value_bytes, rows, config.offset);
  std::optional<GuardedArray> reduced;
  if (reduces) reduced.emplace(backend, sizeof(double), 1);
  GuardedArray counted(backend, sizeof(std::int64_t), 1);
  std::optional<GuardedArray> class_weight;
  if (config.class_weight) class_weight.emplace(backend, value_bytes, v, config.offset);

  SoftmaxLossCall call;
  call.loss = config.loss;
  call.reduction = config.reduction;
  call.dtype = dtype;
  call.logits = logits.data();
  call.targets = targets.data();
  call.targets_kind = config.targets;
  call.grad = !config.grad ? nullptr : config.in_place ? logits.data() : grad->data();
  call.unreduced_loss = unreduced ? unreduced->data() : nullptr;
  call.entropy = entropy ? entropy->data() : nullptr;
  call.reduced_loss = reduced ? reduced->as<double>() : nullptr;
  call.counted_rows = counted.as<std::int64_t>();
  call.rows = rows;
  call.classes = v;
  call.label_smoothing = config.label_smoothing;
  call.z_loss = config.z_loss;
  call.grad_scale = config.grad_scale;
  call.class_weight = class_weight ? class_weight->data() : nullptr;
  BackendBuffer workspace(backend, softmax_loss_workspace_size(call, backend));
  workspace.fill_bytes(0);
  targets.upload(inputs.targets.data(), inputs.targets.size());
  if (class_weight) class_weight->upload(inputs.class_weight.data(), inputs.class_weight.size());

  const auto run = [&]() {
    logits.poison();  // the guards of an in-place gradient are checked too
    logits.upload(inputs.logits.data(), inputs.logits.size());
    for (auto* output : {grad ? &*grad : nullptr, unreduced ? &*unreduced : nullptr, entropy ? &*entropy : nullptr,
                         reduced ? &*reduced : nullptr, &counted}) {
      if (output != nullptr) output->poison();
    }
    softmax_loss(call, backend, workspace.data(), workspace.size());
    RunOutputs out;
    if (config.grad) out.grad = (config.in_place ? logits : *grad).download();
    if (unreduced) out.unreduced = unreduced->download();
    if (entropy) out.entropy = entropy->download();
    if (reduced) out.reduced = reduced->download();
    out.counted = counted.download();
    return out;
  };
  const RunOutputs first = run();
  const RunOutputs second = run();

  MismatchLog& log = result.log;
  log.check_guards("the gradient", first.grad.guards_intact);
  log.check_guards("the unreduced loss", first.unreduced.guards_intact);
  log.check_guards("the entropy", first.entropy.guards_intact);
  log.check_guards("the reduced loss", first.reduced.guards_intact);
  log.check_guards("the counted rows", first.counted.guards_intact);

  // Every row against the reference on the stored values.
  const double u_out = output_rounding(dtype);
  const double t_out = output_underflow(dtype);
  const std::int64_t depth = softmax_backend_depth(std::max<std::int64_t>(v, 1));
  const std::span<const double> w = inputs.class_weight_values;
  std::int64_t expected_count = 0;
  double expected_weight = 0.0;  // Σ w_t over the rows not ignored
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int64_t label = hard ? inputs.labels[static_cast<std::size_t>(r)] : 0;
    if (label == detail::kVerifyIgnoreIndex) continue;
    ++expected_count;
    if (hard && !w.empty()) expected_weight += w[static_cast<std::size_t>(label)];
  }
  const double divisor =
      reduction_divisor(config, hard && !w.empty() ? expected_weight : static_cast<double>(expected_count));
  // Every row ignored (or weighing 0): a zero gradient.
  const double multiplier = divisor == 0.0 ? 0.0 : config.grad_scale / divisor;
  double sum = 0.0;
  double sum_abs = 0.0;
  double sum_bound = 0.0;
  std::vector<double> z(static_cast<std::size_t>(v));
  std::vector<double> q(hard ? 0 : static_cast<std::size_t>(v));
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t j = 0; j < v; ++j) {
      const auto k = static_cast<std::size_t>(r * v + j);
      z[static_cast<std::size_t>(j)] = load_as_double(inputs.logits.data(), dtype, k);
      if (!hard) q[static_cast<std::size_t>(j)] = load_as_double(inputs.targets.data(), dtype, k);
    }
    const std::int64_t label = hard ? inputs.labels[static_cast<std::size_t>(r)] : -1;
    const ref::SoftmaxRow row = ref::softmax_row(z);
    const SoftmaxBoundRow bound_row{v, depth, row.lse, row.log_s};
    const RowExpectation e = expect_row(config, z, q, label, w, row, bound_row);
    const auto about = [&] { return describe_row(r, z, label); };
    if (config.entropy) {
      const double got = load_as_double(first.entropy.payload.data(), dtype, static_cast<std::size_t>(r));
      const double bound = softmax_entropy_error_bound(bound_row, row.entropy, row.gap_second_moment) +
                           u_out * std::fabs(row.entropy) + t_out;
      result.entropy_error = std::max(result.entropy_error, log.check("entropy", r, got, row.entropy, bound, about));
    }
    if (config.grad) {
      for (std::int64_t j = 0; j < v; ++j) {
        const auto jj = static_cast<std::size_t>(j);
        // Beyond the dtype's range: the infinity it rounds to (class weights of 1e4 in f16).
        const double expected = expected_output(dtype, multiplier * e.grad[jj]);
        // The float bound, scaled; the multiplier's rounding and the
        // product's (none when it is 1); the rounding to the dtype.
        const double bound = multiplier * e.grad_bound[jj] + (multiplier == 1.0 ? 0.0 : 2.0 * kU) * std::fabs(expected) +
                             1.01 * u_out * std::fabs(expected) + t_out;
        const double got = load_as_double(first.grad.payload.data(), dtype, static_cast<std::size_t>(r * v + j));
        result.grad_error = std::max(result.grad_error, log.check("grad", r * v + j, got, expected, bound, about));
      }
    }
    if (writes_unreduced && kl) {
      for (std::int64_t j = 0; j < v; ++j) {
        const auto jj = static_cast<std::size_t>(j);
        const double got = load_as_double(first.unreduced.payload.data(), dtype, static_cast<std::size_t>(r * v + j));
        const double bound = e.element_bound[jj] + u_out * std::fabs(e.elements[jj]) + t_out;
        result.loss_error =
            std::max(result.loss_error, log.check("kl element", r * v + j, got, e.elements[jj], bound, about));
      }
    } else if (writes_unreduced) {
      const double got = load_as_double(first.unreduced.payload.data(), dtype, static_cast<std::size_t>(r));
      const double bound = e.loss_bound + u_out * std::fabs(e.loss) + t_out;
      result.loss_error =
          std::max(result.loss_error, log.check("row loss", r, got, expected_output(dtype, e.loss), bound, about));
    }
    if (e.counted) {
      sum += e.loss;
      sum_abs += std::fabs(e.loss);
      sum_bound += e.loss_bound;
    }
  }
  if (reduces) {
    // Each row's bound, then float sums of at most kSoftmaxFloatSumRows rows
    // and a 12-level tree before double; then ÷ the divisor (0 ÷ 0 = NaN
    // when every row is ignored, as PyTorch).
    const double float_rows = static_cast<double>(std::min<std::int64_t>(rows, kSoftmaxFloatSumRows));
    const double expected = sum / divisor;
    const double bound = (sum_bound + float_gamma(float_rows + 12.0) * sum_abs) / divisor + 1e-15 * std::fabs(expected);
    result.loss_error = log.check("reduced loss", 0, load_scalar<double>(first.reduced.payload), expected, bound,
                                  [&] { return std::string(to_string(config.reduction)) + " of " + std::to_string(rows) + " rows"; });
  }
  const auto got_count = load_scalar<std::int64_t>(first.counted.payload);
  if (got_count != expected_count) {
    log.fail("counted rows " + std::to_string(got_count) + ", expected " + std::to_string(expected_count));
  }
  log.check_same_bits("the gradient", first.grad.payload, second.grad.payload);
  log.check_same_bits("the unreduced loss", first.unreduced.payload, second.unreduced.payload);
  log.check_same_bits("the entropy", first.entropy.payload, second.entropy.payload);
  log.check_same_bits("the reduced loss", first.reduced.payload, second.reduced.payload);
  result.all_written = log.unwritten_elements() == 0 && log.guards_intact();
  result.deterministic = log.same_bits();
  return result;
}

}  // namespace lossbench
