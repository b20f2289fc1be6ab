#pragma once
// The emulated softmax kernels' tests share this: a case (V, rows, options),
// its inputs in storage precision, one launch into poisoned and guarded
// outputs, and the check of every output against the double-precision
// reference within softmax_bounds.hpp's bounds (plus the rounding to the
// storage type). The kernel under test comes in as a callable that launches
// it on SoftmaxRowsParams, with the depth of its state sums (KernelShape).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/common/element_types.cuh"
#include "kernels/loss/softmax_loss_tiling.hpp"
#include "kernels/loss/softmax_rows_common.cuh"
#include "backends/launch/persistent_grid.hpp"
#include "lossbench/core/dtype.hpp"
#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/loss/softmax_bounds.hpp"
#include "lossbench/reference/softmax_reference.hpp"
#include "lossbench/verify/mismatch_log.hpp"
#include "verify/softmax_logit_rows.hpp"

namespace lossbench::testing {

using detail::make_row;
using detail::RowKind;

inline constexpr std::int64_t kSoftmaxTestIgnore = -100;

/// The kernels' Target for the targets a test stores: ClassIndices for int32
/// or int64 labels (the kernels read either width at run time, so a test's
/// label type picks the width, not a kernel variant), the storage type for
/// probability rows.
template <class Stored>
using KernelTarget = std::conditional_t<std::is_integral_v<Stored>, kernels::ClassIndices, Stored>;

/// The parameters of a launch on the targets a test stores.
template <class T, class Stored>
using CaseParams = kernels::SoftmaxRowsParams<T, KernelTarget<Stored>>;

template <class T>
DType dtype_of() {
  if constexpr (std::is_same_v<T, float>) return DType::f32;
  if constexpr (std::is_same_v<T, __half>) return DType::f16;
  return DType::bf16;
}

template <class T>
std::string type_name() {
  if constexpr (std::is_same_v<T, float>) return "f32";
  if constexpr (std::is_same_v<T, __half>) return "f16";
  if constexpr (std::is_same_v<T, __nv_bfloat16>) return "bf16";
  if constexpr (std::is_same_v<T, std::int32_t>) return "int32";
  return "int64";
}

/// A buffer of T with kGuard poisoned (0xff) elements on each side; the
/// payload starts poisoned too.
template <class T>
class Guarded {
 public:
  static constexpr std::size_t kGuard = 32;
  explicit Guarded(std::size_t n) : bytes_((n + 2 * kGuard) * sizeof(T), 0xff), n_(n) {}
  T* data() { return reinterpret_cast<T*>(bytes_.data()) + kGuard; }
  double at(std::size_t i) const {
    T v;
    std::memcpy(&v, bytes_.data() + (kGuard + i) * sizeof(T), sizeof(T));
    return kernels::to_float(v);
  }
  bool guards_intact() const {
    const std::size_t tail = (kGuard + n_) * sizeof(T);
    const auto poisoned = [](unsigned char b) { return b == 0xff; };
    return std::all_of(bytes_.begin(), bytes_.begin() + kGuard * sizeof(T), poisoned) &&
           std::all_of(bytes_.begin() + static_cast<std::ptrdiff_t>(tail), bytes_.end(), poisoned);
  }
  /// Nothing written anywhere: payload and guards all poison.
  bool untouched() const {
    return std::all_of(bytes_.begin(), bytes_.end(), [](unsigned char b) { return b == 0xff; });
  }
  std::vector<unsigned char> payload() const {
    return {bytes_.begin() + kGuard * sizeof(T), bytes_.begin() + static_cast<std::ptrdiff_t>((kGuard + n_) * sizeof(T))};
  }

 private:
  std::vector<unsigned char> bytes_;
  std::size_t n_;
};

struct CaseOptions {
  std::int64_t classes = 10;
  std::int64_t rows = 100;
  float eps = 0.0f;       // label smoothing: hard labels, or probability rows (q ← (1 − ε)q + ε/V)
  float z_loss = 0.0f;    // hard labels only
  bool extreme = false;   // a quarter of the rows wide, −inf but one, confident, or near 1e4
  bool ignore = true;     // about 10% of the labels ignore_index (hard labels)
  bool in_place = false;
  bool mean = false;      // grad_multiplier = 1 / rows counted
  bool kl = false;        // probability rows: KL(q ‖ p), with its per-element loss
  bool entropy = true;    // the entropy output (else null, and it must stay untouched)
  bool grad = true;       // the gradient output (else null: the loss only)
  std::uint64_t seed = 1;
  kernels::DeviceCapacity capacity{4, 2};

  std::string describe() const {
    return "V=" + std::to_string(classes) + " rows=" + std::to_string(rows) + " eps=" + std::to_string(eps) +
           " c=" + std::to_string(z_loss) + (extreme ? " extreme" : "") + (in_place ? " in-place" : "") +
           (kl ? " kl" : "") + (entropy ? "" : " no-entropy") + (grad ? "" : " loss-only") +
           (mean ? " mean" : " sum") + " seed=" + std::to_string(seed);
  }
};

/// Inputs in storage precision, and the same values as double for the
/// reference. Probability rows: targets_d is q as the kernel sees it, the
/// stored value smoothed in float as softmax_soft_target does.
template <class T, class Target>
struct Inputs {
  std::vector<T> logits;
  std::vector<Target> targets;
  std::vector<double> logits_d;
  std::vector<double> targets_d;    // soft only
  std::vector<std::int64_t> labels; // hard only
};

template <class T, class Target>
Inputs<T, Target> make_inputs(const CaseOptions& o) {
  constexpr bool kSoft = kernels::kSoftTargets<Target>;
  std::mt19937_64 rng(o.seed);
  const auto v = static_cast<std::size_t>(o.classes);
  Inputs<T, Target> in;
  constexpr RowKind kExtreme[] = {RowKind::wide, RowKind::minus_inf_but_one, RowKind::confident,
                                  RowKind::far_from_zero};
  for (std::int64_t r = 0; r < o.rows; ++r) {
    RowKind kind = RowKind::normal;
    if (o.extreme && rng() % 4 == 0) kind = kExtreme[rng() % 4];
    std::size_t finite = 0;
    const std::vector<float> row = make_row(kind, v, rng, &finite);
    for (const float x : row) {
      in.logits.push_back(kernels::from_float<T>(x));
      in.logits_d.push_back(kernels::to_float(in.logits.back()));
    }
    if constexpr (kSoft) {
      std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
      std::vector<float> q(v);
      float sum = 0.0f;
      for (float& x : q) sum += x = uniform(rng) < 0.3f ? 0.0f : uniform(rng);
      if (sum == 0.0f) q[0] = sum = 1.0f;
      for (float& x : q) {
        in.targets.push_back(kernels::from_float<T>(x / sum));
        const float stored = kernels::to_float(in.targets.back());
        const float seen = o.eps == 0.0f ? stored : std::fmaf(1.0f - o.eps, stored, o.eps / static_cast<float>(v));
        in.targets_d.push_back(seen);
      }
    } else {
      const auto label = o.ignore && rng() % 10 == 0 ? kSoftmaxTestIgnore : static_cast<std::int64_t>(finite);
      in.targets.push_back(static_cast<Target>(label));
      in.labels.push_back(label);
    }
  }
  return in;
}

/// What one launch wrote.
template <class T>
struct Outputs {
  Guarded<T> grad;
  Guarded<T> row_loss;
  Guarded<T> entropy;
  Guarded<T> element_loss;  // KL only
  double reduced = std::numeric_limits<double>::quiet_NaN();
  std::int64_t counted = -1;
  Outputs(std::size_t elements, std::size_t rows, bool kl)
      : grad(elements), row_loss(rows), entropy(rows), element_loss(kl ? elements : 0) {}
};

/// The parameters of a launch into `out` (as the launcher makes them, with
/// the test's own workspace) for the case's options.
template <class T, class Target>
CaseParams<T, Target> case_params(const Inputs<T, Target>& in, const CaseOptions& o, float grad_multiplier,
                                  Outputs<T>& out, std::vector<unsigned char>& workspace) {
  const auto elements = static_cast<std::size_t>(o.rows * o.classes);
  // In place: the logits are copied into the gradient buffer and read from there.
  if (o.in_place && elements > 0) std::memcpy(out.grad.data(), in.logits.data(), elements * sizeof(T));
  const kernels::SoftmaxWorkspaceLayout layout =
      kernels::softmax_workspace_layout(o.rows, o.classes);
  workspace.assign(layout.total_bytes, 0);
  CaseParams<T, Target> p;
  p.logits = o.in_place ? out.grad.data() : in.logits.data();
  p.targets = in.targets.data();
  p.grad = o.grad ? out.grad.data() : nullptr;
  p.row_loss = out.row_loss.data();
  p.row_entropy = o.entropy ? out.entropy.data() : nullptr;
  p.element_loss = o.kl ? out.element_loss.data() : nullptr;
  p.rows = o.rows;
  p.classes = o.classes;
  p.ignore_index = kSoftmaxTestIgnore;
  if constexpr (kernels::kSoftTargets<Target>) {
    p.soft_smoothing = o.eps;
    p.kl = o.kl;
  } else {
    p.ce = {o.eps, o.z_loss};
  }
  p.grad_multiplier = grad_multiplier;
  p.tile_loss = reinterpret_cast<float*>(workspace.data());
  p.tile_count = reinterpret_cast<std::int32_t*>(workspace.data() + layout.count_offset);
  p.blocks_done = reinterpret_cast<unsigned int*>(workspace.data() + layout.counter_offset);
  p.reduced_loss = &out.reduced;
  p.counted_rows = &out.counted;
  return p;
}

/// One launch of the kernel under test: launch(params) starts it.
template <class T, class Target, class Launch>
Outputs<T> run_kernel(const Inputs<T, Target>& in, const CaseOptions& o, float grad_multiplier, Launch&& launch) {
  Outputs<T> out(static_cast<std::size_t>(o.rows * o.classes), static_cast<std::size_t>(o.rows), o.kl);
  std::vector<unsigned char> workspace;
  const CaseParams<T, Target> p = case_params(in, o, grad_multiplier, out, workspace);
  launch(p);
  const kernels::SoftmaxWorkspaceLayout layout =
      kernels::softmax_workspace_layout(o.rows, o.classes);
  unsigned counter = 0;
  std::memcpy(&counter, workspace.data() + layout.counter_offset, sizeof(counter));
  EXPECT_EQ(counter, 0u) << "blocks-done counter not reset";
  return out;
}

/// How the kernel under test sums: `depth`, the k of softmax_bounds.hpp for
/// its row states; `loss_terms`, the float additions a row loss passes
/// through on its way into a tile's partial (per-thread sums, then the
/// block's tree).
struct KernelShape {
  std::int64_t depth;
  double loss_terms;
};

/// Runs the case and checks every output against the reference.
template <class T, class Target, class Launch>
void check_case(const CaseOptions& o, const KernelShape& shape, Launch&& launch) {
  namespace ref = reference;
  constexpr bool kSoft = kernels::kSoftTargets<Target>;
  const Inputs<T, Target> in = make_inputs<T, Target>(o);
  std::int64_t expected_count = 0;
  for (std::int64_t r = 0; r < o.rows; ++r) {
    expected_count += kSoft || in.labels[static_cast<std::size_t>(r)] != kSoftmaxTestIgnore;
  }
  const float multiplier = o.mean && expected_count > 0 ? 1.0f / static_cast<float>(expected_count) : 1.0f;
  const Outputs<T> out = run_kernel(in, o, multiplier, launch);

  const DType dtype = dtype_of<T>();
  const double u_out = output_rounding(dtype);
  const double t_out = output_underflow(dtype);
  const double u = kFloatUnitRoundoff;
  const double m = multiplier;
  const std::int64_t v = o.classes;
  const auto vv = static_cast<std::size_t>(v);
  MismatchLog log;
  double sum_ref = 0.0;
  double sum_abs = 0.0;
  double sum_bound = 0.0;
  for (std::int64_t r = 0; r < o.rows; ++r) {
    const auto begin = static_cast<std::size_t>(r) * vv;
    const std::span<const double> z(in.logits_d.data() + begin, vv);
    const ref::SoftmaxRow row = ref::softmax_row(z);
    const SoftmaxBoundRow bound_row{v, shape.depth, row.lse, row.log_s};
    const auto describe = [&] { return "row " + std::to_string(r) + ", " + o.describe(); };
    if (o.entropy) {
      const double h_bound = softmax_entropy_error_bound(bound_row, row.entropy, row.gap_second_moment);
      log.check("entropy", r, out.entropy.at(static_cast<std::size_t>(r)), row.entropy,
                h_bound + u_out * std::fabs(row.entropy) + t_out, describe);
    }

    bool counted = true;
    ref::RowLossAndGrad rg{0.0, std::vector<double>(vv, 0.0)};
    double loss_bound = 0.0;
    std::vector<double> grad_bound(vv, 0.0);
    if constexpr (kSoft) {
      const std::span<const double> q(in.targets_d.data() + begin, vv);
      double q_sum = 0.0;
      for (const double x : q) q_sum += x;
      const ref::RowLossAndGrad ce = ref::softmax_ce_soft_row(z, q);
      rg = ce;
      loss_bound = softmax_ce_soft_loss_error_bound(bound_row, ce.loss, q_sum);
      if (o.kl) {
        const ref::KlRow kl = ref::kl_div_row(z, q);
        rg = {kl.loss, kl.grad};
        loss_bound = kl_div_row_error_bound(bound_row, kl.loss, ce.loss, q_sum);
        for (std::size_t j = 0; j < vv; ++j) {
          const double e_bound = kl_div_element_error_bound(bound_row, kl.elements[j], q[j], row.log_prob[j]);
          log.check("kl element", r * v + static_cast<std::int64_t>(j), out.element_loss.at(begin + j),
                    kl.elements[j], e_bound + u_out * std::fabs(kl.elements[j]) + t_out, describe);
        }
      }
      for (std::size_t j = 0; j < vv; ++j) {
        grad_bound[j] =
            softmax_grad_error_bound(bound_row, {row.prob[j], row.log_prob[j], q_sum, q[j], 0.0, true}, rg.grad[j]);
      }
    } else {
      const std::int64_t t = in.labels[static_cast<std::size_t>(r)];
      counted = t != kSoftmaxTestIgnore;
      if (counted) {
        rg = ref::softmax_ce_hard_row(z, t, {o.eps, o.z_loss, kSoftmaxTestIgnore});
        loss_bound = softmax_ce_hard_loss_error_bound(bound_row, rg.loss, o.z_loss);
        for (std::int64_t j = 0; j < v; ++j) {
          const auto jj = static_cast<std::size_t>(j);
          const double share = (j == t ? 1.0 - o.eps : 0.0) + static_cast<double>(o.eps) / static_cast<double>(v);
          grad_bound[jj] = softmax_grad_error_bound(
              bound_row, {row.prob[jj], row.log_prob[jj], 1.0 + 2.0 * o.z_loss * row.lse, share, o.z_loss, false},
              rg.grad[jj]);
        }
      }
    }
    log.check("row loss", r, out.row_loss.at(static_cast<std::size_t>(r)), rg.loss,
              loss_bound + u_out * std::fabs(rg.loss) + t_out, describe);
    if (o.grad) {
      for (std::size_t j = 0; j < vv; ++j) {
        const double g_ref = m * rg.grad[j];
        // The float grad's bound, scaled; one rounding of the product (none
        // for a multiplier of 1); one to the storage type.
        const double bound = m * grad_bound[j] + (m == 1.0 ? 0.0 : u) * std::fabs(g_ref) * 1.01 +
                             u_out * std::fabs(g_ref) * 1.01 + t_out;
        log.check("grad", r * v + static_cast<std::int64_t>(j), out.grad.at(begin + j), g_ref, bound, describe);
      }
    }
    if (counted) {
      sum_ref += rg.loss;
      sum_abs += std::fabs(rg.loss);
      sum_bound += loss_bound;
    }
  }
  // The reduced loss: each row's float error, then the float sums into a
  // tile's partial (in double after).
  const double reduced_bound = sum_bound + float_gamma(shape.loss_terms) * sum_abs + 1e-15 * sum_abs;
  log.check("reduced loss", 0, out.reduced, sum_ref, reduced_bound, [&] { return o.describe(); });
  if (out.counted != expected_count) {
    log.fail("counted rows " + std::to_string(out.counted) + ", expected " + std::to_string(expected_count));
  }
  if (o.grad || o.in_place) {
    log.check_guards("grad", out.grad.guards_intact());
  } else if (!out.grad.untouched()) {
    log.fail("grad written although null");
  }
  log.check_guards("row loss", out.row_loss.guards_intact());
  if (o.entropy) {
    log.check_guards("entropy", out.entropy.guards_intact());
  } else if (!out.entropy.untouched()) {
    log.fail("entropy written although null");
  }
  if (o.kl) log.check_guards("kl element", out.element_loss.guards_intact());
  EXPECT_TRUE(log.passed()) << type_name<T>() << "/" << type_name<Target>() << " " << o.describe() << ":\n"
                            << log.report();
}

}  // namespace lossbench::testing
