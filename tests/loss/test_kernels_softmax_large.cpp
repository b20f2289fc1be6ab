// One softmax cross-entropy call with rows × classes > 2^31 elements (f16,
// about 4 GiB of host memory, the gradient in place), emulated: 64-bit
// element offsets through the row kernels, the count of rows not ignored
// and the reduction over every row, every gradient element written.
// Labelled "large" and left out of the default test run for its time and
// memory; run it with
//   ctest --test-dir build/default -L large
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <vector>

#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/loss/softmax_bounds.hpp"
#include "lossbench/loss/softmax_loss.hpp"
#include "lossbench/core/dtype.hpp"
#include "lossbench/reference/softmax_reference.hpp"

namespace lossbench {
namespace {

constexpr std::int64_t kClasses = 32768;
constexpr std::int64_t kRows = (std::int64_t{1} << 31) / kClasses + 1;  // 2^31 + 32768 elements
constexpr int kPatterns = 5;
constexpr std::int64_t kIgnore = -100;

// Row r holds pattern r % kPatterns and label label_of(r): a few distinct
// rows, so the reference is computed once per (pattern, label) and the
// check streams.
int pattern_of(std::int64_t row) { return static_cast<int>(row % kPatterns); }
std::int64_t label_of(std::int64_t row) {
  if (row % 97 == 5) return kIgnore;
  return (row * 7919) % kClasses;
}

// Pattern k: smooth values of moderate size; pattern 3 shifted near 1e4
// (where a float lse would lose digits); pattern 4 −inf but every 8th class.
double pattern_logit(int k, std::int64_t j) {
  const double x = 3.0 * std::sin(0.0013 * static_cast<double>(j) * (k + 1)) + 0.25 * k;
  if (k == 3) return x + 1e4;
  if (k == 4 && j % 8 != 0) return -INFINITY;
  return x;
}

TEST(KernelsSoftmaxLarge, MoreThanTwoToTheThirtyOneElements) {
  const std::int64_t elements = kRows * kClasses;
  ASSERT_GT(elements, std::int64_t{1} << 31);
  std::vector<std::vector<std::uint16_t>> pattern_bits(kPatterns, std::vector<std::uint16_t>(kClasses));
  for (int k = 0; k < kPatterns; ++k) {
    for (std::int64_t j = 0; j < kClasses; ++j) pattern_bits[k][j] = double_to_half(pattern_logit(k, j)).bits;
  }
  std::unique_ptr<std::uint16_t[]> z;
  try {
    z.reset(new std::uint16_t[static_cast<std::size_t>(elements)]);
  } catch (const std::bad_alloc&) {
    FAIL() << "cannot allocate " << elements * 2 / (1 << 20) << " MiB of host memory for the N·V > 2^31 case "
              "(the large label needs about 4 GiB free)";
  }
  std::vector<std::int64_t> labels(kRows);
  for (std::int64_t r = 0; r < kRows; ++r) {
    labels[r] = label_of(r);
    const int k = pattern_of(r);
    // Pattern 4's label must be a finite class: its loss is finite then.
    if (k == 4 && labels[r] != kIgnore) labels[r] -= labels[r] % 8;
    std::copy(pattern_bits[k].begin(), pattern_bits[k].end(), z.get() + r * kClasses);
  }
  double reduced = 0;
  std::int64_t counted = -1;
  SoftmaxLossCall call;
  call.dtype = DType::f16;
  call.logits = z.get();
  call.grad = z.get();  // in place
  call.targets = labels.data();
  call.targets_kind = SoftmaxTargets::class_index_i64;
  call.reduced_loss = &reduced;
  call.counted_rows = &counted;
  call.rows = kRows;
  call.classes = kClasses;
  std::vector<unsigned char> workspace(softmax_loss_workspace_size(call, Backend::emu), 0);
  softmax_loss(call, Backend::emu, workspace.data(), workspace.size());

  // The reference per pattern, then per row for its label.
  std::int64_t expected_count = 0;
  for (const std::int64_t t : labels) expected_count += t != kIgnore;
  ASSERT_EQ(counted, expected_count);
  const double u = kFloatUnitRoundoff;
  const double u_out = output_rounding(DType::f16);
  const double t_out = output_underflow(DType::f16);
  const double m = 1.0 / static_cast<double>(expected_count);
  std::vector<std::vector<double>> logits(kPatterns, std::vector<double>(kClasses));
  std::vector<reference::SoftmaxRow> rows;
  for (int k = 0; k < kPatterns; ++k) {
    for (std::int64_t j = 0; j < kClasses; ++j) logits[k][j] = static_cast<double>(half_to_float(Half{pattern_bits[k][j]}));
    rows.push_back(reference::softmax_row(logits[k]));
  }
  // Per pattern, each class's expected gradient and bound as a class other
  // than the label, and as the label: the check then streams. A row's loss
  // and gradient for label t are −log p_t and (p_j − [j = t]) (unweighted,
  // no smoothing); one row in 4096 is checked against the reference's own
  // softmax_ce_hard_row, so that this shortcut cannot drift from it.
  const std::int64_t depth = softmax_backend_depth(kClasses);
  struct ClassCheck {
    double expected;
    double bound;
  };
  auto bound_row_of = [&](const reference::SoftmaxRow& row) {
    return SoftmaxBoundRow{kClasses, depth, row.lse, row.log_s};
  };
  auto hard_grad = [](const reference::SoftmaxRow& row, std::int64_t j, bool is_label) {
    return row.prob[j] - (is_label ? 1.0 : 0.0);
  };
  auto class_check = [&](const reference::SoftmaxRow& row, std::int64_t j, bool is_label) {
    const double grad = hard_grad(row, j, is_label);
    const double expected = m * grad;
    const double bound =
        m * softmax_grad_error_bound(bound_row_of(row),
                                     {row.prob[j], row.log_prob[j], 1.0, is_label ? 1.0 : 0.0, 0.0, false}, grad) +
        2.0 * u * std::fabs(expected) + 1.01 * u_out * std::fabs(expected) + t_out;
    return ClassCheck{expected, bound};
  };
  std::vector<std::vector<ClassCheck>> other_class(kPatterns, std::vector<ClassCheck>(kClasses));
  for (int k = 0; k < kPatterns; ++k) {
    for (std::int64_t j = 0; j < kClasses; ++j) other_class[k][j] = class_check(rows[k], j, false);
  }
  double sum = 0.0, sum_abs = 0.0, sum_bound = 0.0;
  std::int64_t failures = 0;
  for (std::int64_t r = 0; r < kRows && failures < 10; ++r) {
    const int k = pattern_of(r);
    const std::int64_t t = labels[r];
    const std::uint16_t* g = z.get() + r * kClasses;
    if (t == kIgnore) {
      for (std::int64_t j = 0; j < kClasses; ++j) {
        if (g[j] != 0) {
          ADD_FAILURE() << "ignored row " << r << " has a nonzero gradient at class " << j;
          ++failures;
          break;
        }
      }
      continue;
    }
    const reference::SoftmaxRow& row = rows[k];
    const double loss = -row.log_prob[t];
    if (r % 4096 == 0) {
      const reference::RowLossAndGrad rg = reference::softmax_ce_hard_row(logits[k], t, {});
      ASSERT_EQ(rg.loss, loss) << "row " << r;
      for (std::int64_t j = 0; j < kClasses; ++j) ASSERT_EQ(rg.grad[j], hard_grad(row, j, j == t)) << "row " << r;
    }
    sum += loss;
    sum_abs += std::fabs(loss);
    sum_bound += softmax_ce_hard_loss_error_bound(bound_row_of(row), loss, 0.0);
    const ClassCheck label_class = class_check(row, t, true);
    for (std::int64_t j = 0; j < kClasses; ++j) {
      const ClassCheck& c = j == t ? label_class : other_class[k][j];
      const double got = static_cast<double>(half_to_float(Half{g[j]}));
      if (!(std::fabs(got - c.expected) <= c.bound)) {
        ADD_FAILURE() << "row " << r << " class " << j << ": grad " << got << ", expected " << c.expected << " ± "
                      << c.bound;
        if (++failures >= 10) break;
      }
    }
  }
  const double expected_loss = sum / static_cast<double>(expected_count);
  const double loss_bound =
      (sum_bound + float_gamma(static_cast<double>(kSoftmaxFloatSumRows) + 12.0) * sum_abs) / static_cast<double>(expected_count);
  EXPECT_NEAR(reduced, expected_loss, loss_bound);
}

}  // namespace
}  // namespace lossbench
