// The cpu backend of softmax_loss(): the float32 row math of
// kernels/loss/softmax_math.cuh on the host, rows threaded over fixed tiles
// (parallel_tiles.hpp) whose partial sums are added in tile order in double,
// so the results have the same bits for every thread count.
//
// A row: its logits (and targets) are converted to float once, into a
// thread's scratch; its max m is taken first, so that every logit's state
// about m needs one exponential and no rescale; the states are summed in
// L = min(16, bit_ceil(V)) interleaved lanes, then the lanes pairwise: a
// chain of ⌈V/L⌉ adds and a tree of log2 L, within softmax_backend_depth
// (softmax_bounds.hpp), which `verify --backend cpu` checks it by. Then the
// gradient, from the scratch copy: in place over the logits is safe.
//
// The exponentials are Highway vectors (softmax_row_simd.hpp): a hard-label
// row's state (max, then the sums in 16 lanes) and every row's
// probabilities for its gradient. The scalar row math takes the rest (soft
// targets' states; rows with a NaN, all −inf or +inf, whose NaNs and
// infinities it defines). Bytes per element as the GPU kernels (read z,
// write g; + q for probability rows); what it reaches is in docs/PERF.md.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "backends/cpu/cpu_backend.hpp"
#include "backends/cpu/parallel_tiles.hpp"
#include "backends/cpu/softmax_row_simd.hpp"
#include "backends/launch/storage_type.hpp"
#include "kernels/common/element_types.cuh"
#include "kernels/loss/softmax_math.cuh"

namespace lossbench::detail {
namespace {

namespace k = kernels;

/// Rows per tile: about 8192 elements, at least one row.
std::int64_t cpu_softmax_tile_rows(std::int64_t classes) { return std::max<std::int64_t>(1, 8192 / classes); }

constexpr int kMaxLanes = 16;

/// The typed view of a call: T the storage type, Target int32, int64 or T.
template <class T, class Target>
struct RowsView {
  const T* logits;
  const Target* targets;
  T* grad;
  T* row_loss;
  T* element_loss;
  T* entropy;
  DType dtype;  // T's
  std::int64_t classes;
  std::int64_t ignore_index;
  k::SoftmaxCeParams ce;
  float soft_smoothing;
  bool kl;
  float multiplier;
  /// Class weights as floats (V), or null; smoothing_weight: the same where a
  /// hard-label row's state counts them (ε > 0), else null.
  const float* class_weight;
  const float* smoothing_weight;
};

/// A row's state: the max first, then every logit's state about it summed in
/// interleaved lanes, then the lanes pairwise. w: the classes' weights that
/// a weighted, smoothed hard-label row counts (softmax_math.cuh), or null.
k::SoftmaxRowState row_state(const float* z, const float* q, const float* w, std::int64_t classes) {
  float m = -INFINITY;
  for (std::int64_t j = 0; j < classes; ++j) m = std::fmax(m, z[j]);
  const int lanes = static_cast<int>(std::min<std::int64_t>(kMaxLanes, std::bit_ceil(static_cast<std::uint64_t>(classes))));
  k::SoftmaxRowState lane[kMaxLanes];
  for (std::int64_t j = 0; j < classes; ++j) {
    k::SoftmaxRowState& s = lane[j % lanes];
    s = k::softmax_combine(
        s, k::softmax_rescale(k::softmax_single(z[j], q != nullptr ? q[j] : 0.0f, w != nullptr ? w[j] : 1.0f), m));
  }
  for (int width = 1; width < lanes; width *= 2) {
    for (int l = 0; l + width < lanes; l += 2 * width) lane[l] = k::softmax_combine(lane[l], lane[l + width]);
  }
  return lane[0];
}

/// p_j of the row into p from softmax_probabilities_simd, where its lse is
/// finite; false, leaving p alone, for a NaN, +inf or all −inf row, whose p
/// the scalar math defines.
bool vector_probabilities(const float* z, std::int64_t classes, const k::LogSumExp& lse, float* p) {
  if (!std::isfinite(lse.m) || !std::isfinite(lse.log_s)) return false;
  softmax_probabilities_simd(z, classes, lse, p);
  return true;
}

/// One row: its outputs written, its loss returned; `counted` says whether
/// it enters the reduction. z, q, p: the thread's scratch of V floats.
template <class T, class Target>
float compute_row(const RowsView<T, Target>& v, std::int64_t row, float* z, float* q, float* p, bool& counted) {
  constexpr bool kSoft = !std::is_integral_v<Target>;
  const std::int64_t classes = v.classes;
  const std::int64_t first = row * classes;
  storage_to_floats_simd(v.dtype, v.logits + first, classes, z);
  if constexpr (kSoft) {
    for (std::int64_t j = 0; j < classes; ++j) {
      // kernels::softmax_soft_target: smoothed, then weighted.
      const float smoothed = k::softmax_smoothed_target(k::to_float(v.targets[first + j]), v.soft_smoothing,
                                                        static_cast<float>(classes));
      q[j] = v.class_weight == nullptr ? smoothed : v.class_weight[j] * smoothed;
    }
  }
  k::SoftmaxRowState state;
  if (kSoft || !softmax_hard_row_state_simd(z, v.smoothing_weight, classes, state)) {
    state = row_state(z, kSoft ? q : nullptr, v.smoothing_weight, classes);
  }
  const k::LogSumExp lse = k::softmax_lse(state);
  float loss;
  if constexpr (kSoft) {
    counted = true;
    loss = v.kl ? k::kl_div_row_loss(state, lse) : k::softmax_ce_soft_loss(state, lse);
    if (v.grad != nullptr) {
      const bool vector_p = vector_probabilities(z, classes, lse, p);
      for (std::int64_t j = 0; j < classes; ++j) {
        // kernels::softmax_soft_grad, with p_j from the vectors where they hold; g_j over p_j.
        p[j] = (vector_p ? p[j] * state.q_sum - q[j] : k::softmax_soft_grad(lse, z[j], q[j], state.q_sum)) *
               v.multiplier;
      }
      floats_to_storage_simd(v.dtype, p, classes, v.grad + first);
    }
    if (v.element_loss != nullptr) {
      for (std::int64_t j = 0; j < classes; ++j) {
        v.element_loss[first + j] = k::from_float<T>(k::kl_div_element(lse, z[j], q[j]));
      }
    }
  } else {
    const auto t = static_cast<std::int64_t>(v.targets[row]);
    const bool ignored = t == v.ignore_index;
    const bool valid = t >= 0 && t < classes;
    counted = !ignored;
    const auto v_float = static_cast<float>(classes);
    const float w_t = v.class_weight != nullptr && valid ? v.class_weight[t] : 1.0f;
    const float z_t = z[valid ? t : 0];
    loss = ignored ? 0.0f
           : !valid ? NAN
           : v.class_weight != nullptr
               ? k::softmax_ce_weighted_hard_loss(state, lse, z_t, w_t, v.ce.label_smoothing, v_float)
               : k::softmax_ce_hard_loss(state, lse, z_t, v.ce);
    if (v.grad != nullptr) {
      const k::SoftmaxCeGradTerms terms =
          v.class_weight != nullptr ? k::softmax_ce_weighted_grad_terms(state, w_t, v.ce.label_smoothing, v_float)
                                    : k::softmax_ce_grad_terms(lse, v_float, v.ce);
      // An ignored row's gradient is 0 and an invalid label's NaN: no p needed.
      const bool vector_p = !ignored && valid && vector_probabilities(z, classes, lse, p);
      for (std::int64_t j = 0; j < classes; ++j) {
        // kernels::softmax_ce_hard_grad, with p_j from the vectors where they hold; g_j over p_j.
        const float w_j = v.smoothing_weight != nullptr ? v.smoothing_weight[j] : 1.0f;
        float share = j == t ? terms.target_share : terms.other_share;
        if (terms.weighted) {  // kernels::softmax_ce_hard_grad's weighted shares
          const float smooth = terms.other_share == 0.0f ? 0.0f : terms.other_share * w_j;
          share = j == t ? terms.target_share + smooth : smooth;
        }
        const float g = ignored  ? 0.0f
                        : !valid ? NAN
                        : vector_p ? (terms.scaled ? p[j] * terms.scale : p[j]) - share
                                   : k::softmax_ce_hard_grad(lse, z[j], j == t, terms, w_j);
        p[j] = g * v.multiplier;
      }
      floats_to_storage_simd(v.dtype, p, classes, v.grad + first);
    }
  }
  if (v.row_loss != nullptr) v.row_loss[row] = k::from_float<T>(loss);
  if (v.entropy != nullptr) v.entropy[row] = k::from_float<T>(k::softmax_entropy(state, lse));
  return loss;
}

template <class Target>
std::int64_t rows_not_ignored(const Target* labels, std::int64_t rows, std::int64_t ignore_index) {
  std::int64_t count = 0;
  for (std::int64_t r = 0; r < rows; ++r) count += static_cast<std::int64_t>(labels[r]) != ignore_index;
  return count;
}

/// Σ w_t over the rows not ignored, in double and row order (the weighted
/// mean's divisor); a label out of range weighs NaN.
template <class Target>
double weight_of_rows(const Target* labels, const float* class_weight, std::int64_t rows, std::int64_t classes,
                      std::int64_t ignore_index) {
  double sum = 0.0;
  for (std::int64_t r = 0; r < rows; ++r) {
    const auto t = static_cast<std::int64_t>(labels[r]);
    if (t == ignore_index) continue;
    sum += t >= 0 && t < classes ? static_cast<double>(class_weight[t]) : std::nan("");
  }
  return sum;
}

template <class T, class Target>
void softmax_loss_typed(const SoftmaxLossCall& call) {
  constexpr bool kSoft = !std::is_integral_v<Target>;
  const std::int64_t rows = call.rows;
  const std::int64_t classes = call.classes;
  const auto* targets = static_cast<const Target*>(call.targets);
  std::int64_t counted = rows;
  if constexpr (!kSoft) counted = rows_not_ignored(targets, rows, call.ignore_index);
  std::vector<float> class_weight;
  if (call.class_weight != nullptr) {
    class_weight.resize(static_cast<std::size_t>(classes));
    for (std::int64_t j = 0; j < classes; ++j) {
      class_weight[static_cast<std::size_t>(j)] = k::to_float(static_cast<const T*>(call.class_weight)[j]);
    }
  }

  // PyTorch's divisors (softmax_loss.hpp); one rounding of grad_scale ÷ it, in double.
  double divisor = 1.0;
  if (call.reduction == SoftmaxReduction::batchmean) divisor = static_cast<double>(rows);
  if (call.reduction == SoftmaxReduction::mean) {
    divisor = call.loss == SoftmaxLoss::kl ? static_cast<double>(rows) * static_cast<double>(classes)
                                           : static_cast<double>(counted);
    if constexpr (!kSoft) {
      if (!class_weight.empty()) {
        divisor = weight_of_rows(targets, class_weight.data(), rows, classes, call.ignore_index);
      }
    }
  }
  RowsView<T, Target> v;
  v.logits = static_cast<const T*>(call.logits);
  v.targets = targets;
  v.grad = static_cast<T*>(call.grad);
  T* unreduced = static_cast<T*>(call.unreduced_loss);
  v.row_loss = call.loss == SoftmaxLoss::kl ? nullptr : unreduced;
  v.element_loss = call.loss == SoftmaxLoss::kl ? unreduced : nullptr;
  v.entropy = static_cast<T*>(call.entropy);
  v.dtype = call.dtype;
  v.classes = classes;
  v.ignore_index = call.ignore_index;
  v.ce = kSoft ? k::SoftmaxCeParams{} : k::SoftmaxCeParams{call.label_smoothing, call.z_loss};
  v.soft_smoothing = kSoft && call.loss != SoftmaxLoss::kl ? call.label_smoothing : 0.0f;
  v.kl = call.loss == SoftmaxLoss::kl;
  v.class_weight = class_weight.empty() ? nullptr : class_weight.data();
  v.smoothing_weight = !kSoft && call.label_smoothing != 0.0f ? v.class_weight : nullptr;
  // Every row ignored (or weighing 0): a zero gradient, as the kernels give; no 0·inf.
  v.multiplier = divisor == 0.0 ? 0.0f : static_cast<float>(call.grad_scale / divisor);

  const std::int64_t tile_rows = rows == 0 ? 1 : cpu_softmax_tile_rows(classes);
  const std::int64_t tiles = (rows + tile_rows - 1) / tile_rows;
  std::vector<double> partial(static_cast<std::size_t>(tiles), 0.0);
  for_each_tile(tiles, [&](std::int64_t tile) {
    // The thread's scratch for one row, kept between its tiles.
    thread_local std::vector<float> z;
    thread_local std::vector<float> q;
    thread_local std::vector<float> p;
    z.resize(static_cast<std::size_t>(classes));
    p.resize(static_cast<std::size_t>(classes));
    if (kSoft) q.resize(static_cast<std::size_t>(classes));
    double sum = 0.0;
    const std::int64_t end = std::min(rows, (tile + 1) * tile_rows);
    for (std::int64_t row = tile * tile_rows; row < end; ++row) {
      bool row_counted = false;
      const float loss = compute_row(v, row, z.data(), q.data(), p.data(), row_counted);
      if (row_counted) sum += loss;
    }
    partial[static_cast<std::size_t>(tile)] = sum;
  });
  if (call.counted_rows != nullptr) *call.counted_rows = counted;
  if (call.reduced_loss != nullptr) {
    double total = 0.0;
    for (const double p : partial) total += p;  // tile order: the same bits for every thread count
    *call.reduced_loss = total / divisor;      // 0 ÷ 0 = NaN: the mean of no rows, as PyTorch
  }
}

}  // namespace

std::size_t softmax_loss_cpu_workspace(const SoftmaxLossCall&) { return 0; }

void softmax_loss_cpu(const SoftmaxLossCall& call, void*, void*) {
  kernels::with_storage_type(call.dtype, [&]<class T>() {
    switch (call.targets_kind) {
      case SoftmaxTargets::class_index_i32: return softmax_loss_typed<T, std::int32_t>(call);
      case SoftmaxTargets::class_index_i64: return softmax_loss_typed<T, std::int64_t>(call);
      case SoftmaxTargets::probabilities: return softmax_loss_typed<T, T>(call);
    }
  });
}

}  // namespace lossbench::detail
