// The softmax_loss() API: every bad call is an InputError naming the
// problem, target values are checked by validate_softmax_targets(), and on
// the ref backend every output is the double reference's value rounded once
// to the dtype (bit for bit). Backends without a softmax kernel say so.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common/expect_input_error.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/loss/softmax_loss.hpp"
#include "lossbench/reference/softmax_reference.hpp"

namespace lossbench {
namespace {

constexpr std::int64_t kRows = 4;
constexpr std::int64_t kClasses = 5;

void expect_rejected(const SoftmaxLossCall& bad, const std::string& needle) {
  testing::expect_input_error([&] { validate(bad); }, needle);
}

void expect_targets_rejected(const SoftmaxLossCall& bad, const std::string& needle) {
  testing::expect_input_error([&] { validate_softmax_targets(bad); }, needle, "targets");
}

// A well-formed hard-label call over 4 × 5 float logits (row 3 ignored),
// with probability rows at hand for the soft-target and kl variants.
class HostSoftmaxLossApi : public ::testing::Test {
 protected:
  HostSoftmaxLossApi() : z(kRows * kClasses), q(kRows * kClasses), g(kRows * kClasses), h(kRows) {
    for (std::size_t i = 0; i < z.size(); ++i) z[i] = 0.25f * static_cast<float>(i % 7) - 0.5f;
    for (std::int64_t r = 0; r < kRows; ++r) {
      for (std::int64_t j = 0; j < kClasses; ++j) q[r * kClasses + j] = j == r ? 0.6f : 0.1f;  // sums to 1
    }
    call.loss = SoftmaxLoss::cross_entropy;
    call.reduction = SoftmaxReduction::mean;
    call.logits = z.data();
    call.targets = t.data();
    call.targets_kind = SoftmaxTargets::class_index_i64;
    call.grad = g.data();
    call.reduced_loss = &loss;
    call.counted_rows = &counted;
    call.rows = kRows;
    call.classes = kClasses;
  }

  SoftmaxLossCall soft_call(SoftmaxLoss kind) const {
    SoftmaxLossCall soft = call;
    soft.loss = kind;
    soft.targets = q.data();
    soft.targets_kind = SoftmaxTargets::probabilities;
    return soft;
  }

  std::vector<float> z, q, g, h;
  std::vector<std::int64_t> t = {1, 0, 4, -100};
  double loss = 0;
  std::int64_t counted = 0;
  SoftmaxLossCall call;
};

TEST_F(HostSoftmaxLossApi, AcceptsAWellFormedCallAndComputesOnRef) {
  EXPECT_NO_THROW(validate(call));
  EXPECT_NO_THROW(validate_softmax_targets(call));
  EXPECT_EQ(softmax_loss_workspace_size(call, Backend::ref), 0u);
  softmax_loss(call, Backend::ref, nullptr, 0);
  EXPECT_EQ(counted, 3);
  // Row 0, label 1: lse − z_1, averaged over the 3 rows counted.
  std::vector<double> row0(z.begin(), z.begin() + kClasses);
  const reference::SoftmaxRow r0 = reference::softmax_row(row0);
  EXPECT_FLOAT_EQ(g[1], static_cast<float>((r0.prob[1] - 1.0) / 3.0));
  for (std::int64_t j = 0; j < kClasses; ++j) EXPECT_EQ(g[3 * kClasses + j], 0.0f) << "ignored row, class " << j;
  EXPECT_GT(loss, 0.0);
}

TEST_F(HostSoftmaxLossApi, RejectsUnknownEnums) {
  SoftmaxLossCall bad = call;
  bad.loss = static_cast<SoftmaxLoss>(7);
  expect_rejected(bad, "unknown loss value 7");
  bad = call;
  bad.reduction = static_cast<SoftmaxReduction>(9);
  expect_rejected(bad, "unknown reduction value 9");
  bad = call;
  bad.dtype = static_cast<DType>(5);
  expect_rejected(bad, "unknown dtype value 5");
  bad = call;
  bad.targets_kind = static_cast<SoftmaxTargets>(6);
  expect_rejected(bad, "unknown targets kind value 6");
}

TEST_F(HostSoftmaxLossApi, RejectsBadShapes) {
  SoftmaxLossCall bad = call;
  bad.rows = -1;
  expect_rejected(bad, "rows must be >= 0, got -1");
  bad = call;
  bad.classes = -2;
  expect_rejected(bad, "classes must be >= 0, got -2");
  bad = call;
  bad.classes = 0;
  expect_rejected(bad, "an empty class axis: classes = 0 with rows = 4");
  bad = call;
  bad.rows = std::int64_t{1} << 32;
  bad.classes = std::int64_t{1} << 29;  // 2^61 elements: 2^64 bytes as int64
  expect_rejected(bad, "is too large: its byte counts overflow 64 bits");
  // No rows: no class axis needed, no pointers needed.
  SoftmaxLossCall empty;
  double sum = 0;
  empty.reduction = SoftmaxReduction::sum;
  empty.reduced_loss = &sum;
  EXPECT_NO_THROW(validate(empty));
  softmax_loss(empty, Backend::ref, nullptr, 0);
  EXPECT_EQ(sum, 0.0);
}

TEST_F(HostSoftmaxLossApi, RejectsOptionsTheLossOrTargetsDoNotTake) {
  SoftmaxLossCall bad = call;
  bad.loss = SoftmaxLoss::kl;
  expect_rejected(bad, "kl takes probability targets, got class_index_i64");
  bad = call;
  bad.reduction = SoftmaxReduction::batchmean;
  expect_rejected(bad, "reduction batchmean applies to kl only");
  bad = soft_call(SoftmaxLoss::kl);
  bad.label_smoothing = 0.1f;
  expect_rejected(bad, "label_smoothing applies to cross_entropy only");
  bad = soft_call(SoftmaxLoss::cross_entropy);
  bad.z_loss = 1e-4f;
  expect_rejected(bad, "z_loss applies to cross_entropy with class indices only");
  bad = soft_call(SoftmaxLoss::cross_entropy);
  bad.ignore_index = 3;
  expect_rejected(bad, "ignore_index applies to class-index targets only");
}

TEST_F(HostSoftmaxLossApi, RejectsBadScalars) {
  for (const float eps : {-0.1f, 1.5f, NAN}) {
    SoftmaxLossCall bad = call;
    bad.label_smoothing = eps;
    expect_rejected(bad, "label_smoothing must be in [0, 1]");
  }
  for (const float c : {-1e-4f, INFINITY, NAN}) {
    SoftmaxLossCall bad = call;
    bad.z_loss = c;
    expect_rejected(bad, "z_loss must be finite and >= 0");
  }
  SoftmaxLossCall bad = call;
  bad.grad_scale = INFINITY;
  expect_rejected(bad, "grad_scale must be finite");
  SoftmaxLossCall edges = call;
  edges.label_smoothing = 1.0f;
  EXPECT_NO_THROW(validate(edges));
}

TEST_F(HostSoftmaxLossApi, RejectsMissingOrSuperfluousPointers) {
  SoftmaxLossCall bad = call;
  bad.logits = nullptr;
  expect_rejected(bad, "logits is null with rows = 4");
  bad = call;
  bad.targets = nullptr;
  expect_rejected(bad, "targets is null with rows = 4");
  bad = call;
  bad.reduced_loss = nullptr;
  expect_rejected(bad, "reduced_loss is null but reduction mean needs it");
  bad = call;
  bad.reduction = SoftmaxReduction::none;
  expect_rejected(bad, "reduced_loss is set but reduction none writes no reduced loss");
  bad = call;
  bad.unreduced_loss = h.data();
  expect_rejected(bad, "unreduced_loss is set but only reduction none writes unreduced losses");
}

TEST_F(HostSoftmaxLossApi, RejectsOverlapsButAllowsExactlyInPlace) {
  SoftmaxLossCall in_place = call;
  in_place.grad = z.data();
  EXPECT_NO_THROW(validate(in_place));
  SoftmaxLossCall bad = call;
  bad.grad = z.data() + 1;
  expect_rejected(bad, "grad overlaps logits without being exactly in place");
  bad = soft_call(SoftmaxLoss::kl);
  bad.grad = q.data();
  expect_rejected(bad, "grad overlaps targets");
  bad = call;
  bad.entropy = g.data() + kClasses;
  expect_rejected(bad, "grad overlaps entropy");
  bad = call;
  bad.entropy = z.data();
  expect_rejected(bad, "entropy overlaps logits");
  bad = call;
  bad.counted_rows = reinterpret_cast<std::int64_t*>(t.data() + 3);
  expect_rejected(bad, "counted_rows overlaps targets");
  bad = call;
  bad.reduced_loss = reinterpret_cast<double*>(h.data());
  bad.counted_rows = reinterpret_cast<std::int64_t*>(h.data() + 1);  // 4 bytes into the double
  expect_rejected(bad, "reduced_loss overlaps counted_rows");
  // kl's unreduced losses are per element: rows × classes of them.
  bad = soft_call(SoftmaxLoss::kl);
  bad.reduction = SoftmaxReduction::none;
  bad.reduced_loss = nullptr;
  std::vector<float> wide(2 * kRows * kClasses);
  bad.grad = wide.data();
  bad.unreduced_loss = wide.data() + kRows * kClasses - 1;
  expect_rejected(bad, "grad overlaps unreduced_loss");
  bad.unreduced_loss = wide.data() + kRows * kClasses;
  EXPECT_NO_THROW(validate(bad));
}

TEST_F(HostSoftmaxLossApi, ValidateSoftmaxTargetsNamesTheRowAndClass) {
  EXPECT_NO_THROW(validate_softmax_targets(soft_call(SoftmaxLoss::kl)));
  t[2] = 5;
  expect_targets_rejected(call, "targets[2] = 5 is neither a class index in [0, 5) nor the ignore index -100");
  t[2] = -1;
  expect_targets_rejected(call, "targets[2] = -1 is neither");
  SoftmaxLossCall other_ignore = call;
  other_ignore.ignore_index = -1;
  t[3] = -1;
  EXPECT_NO_THROW(validate_softmax_targets(other_ignore));
  std::vector<std::int32_t> t32 = {0, 1, 7, -100};
  SoftmaxLossCall narrow = call;
  narrow.targets = t32.data();
  narrow.targets_kind = SoftmaxTargets::class_index_i32;
  expect_targets_rejected(narrow, "targets[2] = 7");

  q[2 * kClasses + 3] = -0.05f;
  expect_targets_rejected(soft_call(SoftmaxLoss::kl), "targets row 2, class 3 = -0.050000 is not a probability");
  q[2 * kClasses + 3] = NAN;
  expect_targets_rejected(soft_call(SoftmaxLoss::cross_entropy), "targets row 2, class 3 = nan is not a probability");
  q[2 * kClasses + 3] = 0.1f + 2e-3f;
  expect_targets_rejected(soft_call(SoftmaxLoss::kl), "targets row 2 sums to 1.002000, off 1 by more than 1e-3");
  q[2 * kClasses + 3] = 0.1f + 5e-4f;
  EXPECT_NO_THROW(validate_softmax_targets(soft_call(SoftmaxLoss::kl)));
}

TEST_F(HostSoftmaxLossApi, RefRefusesAnOutOfRangeIndexBeforeReadingIt) {
  t[1] = 99;
  testing::expect_input_error([&] { softmax_loss(call, Backend::ref, nullptr, 0); }, "targets[1] = 99",
                              "a class index out of range");
}

TEST_F(HostSoftmaxLossApi, MeanOverOnlyIgnoredRowsIsNaNWithZeroGradient) {
  t = {-100, -100, -100, -100};
  std::fill(g.begin(), g.end(), 7.0f);
  softmax_loss(call, Backend::ref, nullptr, 0);
  EXPECT_TRUE(std::isnan(loss));
  EXPECT_EQ(counted, 0);
  for (const float x : g) EXPECT_EQ(x, 0.0f);
  call.reduction = SoftmaxReduction::sum;
  softmax_loss(call, Backend::ref, nullptr, 0);
  EXPECT_EQ(loss, 0.0);
}

// Validation and workspace sizing of a shape beyond 2^31 elements, on
// addresses that are never read: the byte counts must be 64-bit.
TEST(HostSoftmaxLossApiShapes, RowsTimesClassesBeyond2To31AreSizedIn64Bits) {
  constexpr std::int64_t rows = std::int64_t{1} << 22;
  constexpr std::int64_t classes = (std::int64_t{1} << 10) + 1;  // 2^32 + 2^22 elements, 8 GiB of f16
  const auto at = [](std::uintptr_t gib) { return reinterpret_cast<void*>(gib << 30); };
  SoftmaxLossCall call;
  call.dtype = DType::f16;
  call.rows = rows;
  call.classes = classes;
  call.logits = at(64);
  call.targets = at(16);  // 32 MiB of int64
  call.grad = at(128);
  call.entropy = at(32);
  double loss = 0;
  call.reduced_loss = &loss;
  EXPECT_NO_THROW(validate(call));
  EXPECT_EQ(softmax_loss_workspace_size(call, Backend::ref), 0u);
  // 7 GiB past the logits' start is inside their 8 GiB only if the byte count is 64-bit.
  call.grad = at(64 + 7);
  expect_rejected(call, "grad overlaps logits without being exactly in place");
  call.grad = at(64 + 9);
  EXPECT_NO_THROW(validate(call));
}

// ---------------------------------------------------------------------------
// ref against the reference, bit for bit after rounding

struct RefCase {
  const char* name;
  SoftmaxLoss loss;
  SoftmaxTargets targets;
  SoftmaxReduction reduction;
  DType dtype;
  float label_smoothing = 0.0f;
  float z_loss = 0.0f;
  bool in_place = false;
  float grad_scale = 1.0f;
};

std::ostream& operator<<(std::ostream& os, const RefCase& c) { return os << c.name; }

// Values of `dtype` bits in a byte buffer.
struct Stored {
  DType dtype;
  std::vector<unsigned char> bytes;
  Stored(DType d, std::size_t count) : dtype(d), bytes(count * dtype_size(d)) {}
  void set(std::size_t i, double v) { store_from_double(bytes.data(), dtype, i, v); }
  double get(std::size_t i) const { return load_as_double(bytes.data(), dtype, i); }
  std::size_t size() const { return bytes.size() / dtype_size(dtype); }
  std::vector<double> all() const {
    std::vector<double> v(size());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = get(i);
    return v;
  }
};

// Every value of `actual` is `expected` rounded once to the dtype.
void expect_rounded(const char* what, const Stored& actual, const std::vector<double>& expected,
                    double multiplier = 1.0) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  Stored rounded(actual.dtype, expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) rounded.set(i, expected[i] * multiplier);
  int mismatches = 0;
  for (std::size_t i = 0; i < expected.size() && mismatches < 5; ++i) {
    const std::size_t w = dtype_size(actual.dtype);
    if (std::memcmp(&actual.bytes[i * w], &rounded.bytes[i * w], w) != 0) {
      ADD_FAILURE() << what << "[" << i << "] = " << actual.get(i) << ", expected " << rounded.get(i);
      ++mismatches;
    }
  }
}

class HostSoftmaxLossRef : public ::testing::TestWithParam<RefCase> {};

TEST_P(HostSoftmaxLossRef, EqualsTheReferenceRoundedOnce) {
  const RefCase& c = GetParam();
  constexpr std::int64_t rows = 6;
  constexpr std::int64_t classes = 33;
  const auto elements = static_cast<std::size_t>(rows * classes);
  Stored z(c.dtype, elements);
  for (std::size_t i = 0; i < elements; ++i) z.set(i, 3.0 * std::sin(0.7 * static_cast<double>(i)) + 0.01 * static_cast<double>(i));
  z.set(5 * classes + 5, -INFINITY);  // a −inf logit in an ordinary row, where q = 0 (below)
  Stored q(c.dtype, elements);
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t j = 0; j < classes; ++j) {
      const double weight = (j * 7 + r) % 5 == 0 ? 0.0 : 1.0 + static_cast<double>((j + r) % 3);
      q.set(static_cast<std::size_t>(r * classes + j), weight / 60.0);  // near a distribution; zeros included
    }
  }
  std::vector<std::int64_t> t64 = {3, -100, 0, 32, 17, 9};
  std::vector<std::int32_t> t32(t64.begin(), t64.end());

  SoftmaxLossCall call;
  call.loss = c.loss;
  call.reduction = c.reduction;
  call.dtype = c.dtype;
  call.rows = rows;
  call.classes = classes;
  call.logits = z.bytes.data();
  call.targets_kind = c.targets;
  call.targets = c.targets == SoftmaxTargets::probabilities   ? static_cast<const void*>(q.bytes.data())
                 : c.targets == SoftmaxTargets::class_index_i32 ? static_cast<const void*>(t32.data())
                                                                : static_cast<const void*>(t64.data());
  call.label_smoothing = c.label_smoothing;
  call.z_loss = c.z_loss;
  call.grad_scale = c.grad_scale;
  Stored grad(c.dtype, elements);
  Stored in_place = z;
  call.grad = c.in_place ? in_place.bytes.data() : grad.bytes.data();
  if (c.in_place) call.logits = in_place.bytes.data();
  const bool none = c.reduction == SoftmaxReduction::none;
  Stored unreduced(c.dtype, none ? (c.loss == SoftmaxLoss::kl ? elements : rows) : 0);
  Stored entropy(c.dtype, rows);
  double reduced = -1.0;
  std::int64_t counted = -1;
  call.unreduced_loss = none ? unreduced.bytes.data() : nullptr;
  call.entropy = entropy.bytes.data();
  call.reduced_loss = none ? nullptr : &reduced;
  call.counted_rows = &counted;
  softmax_loss(call, Backend::ref, nullptr, 0);

  // The reference on the stored values, in double; the test states the
  // semantics independently of the backend.
  const std::vector<double> logits = z.all();
  reference::SoftmaxBatchResult expected;
  if (c.loss == SoftmaxLoss::kl) {
    const auto kl = c.reduction == SoftmaxReduction::none        ? reference::KlReduction::none
                    : c.reduction == SoftmaxReduction::sum       ? reference::KlReduction::sum
                    : c.reduction == SoftmaxReduction::mean      ? reference::KlReduction::mean
                                                                 : reference::KlReduction::batchmean;
    expected = reference::kl_div(logits, classes, q.all(), kl);
  } else {
    const Reduction r = none ? Reduction::none : c.reduction == SoftmaxReduction::sum ? Reduction::sum : Reduction::mean;
    if (c.targets == SoftmaxTargets::probabilities) {
      std::vector<double> smoothed = q.all();
      for (double& v : smoothed) v = (1.0 - c.label_smoothing) * v + c.label_smoothing / static_cast<double>(classes);
      expected = reference::softmax_ce_soft(logits, classes, smoothed, r);
    } else {
      expected = reference::softmax_ce_hard(logits, classes, t64, {c.label_smoothing, c.z_loss, -100}, r);
    }
  }
  expect_rounded("grad", c.in_place ? in_place : grad, expected.grad, c.grad_scale);
  expect_rounded("entropy", entropy, expected.entropy);
  if (none) {
    expect_rounded("unreduced_loss", unreduced, expected.losses);
  } else {
    EXPECT_EQ(reduced, *expected.reduced_loss);
  }
  EXPECT_EQ(counted, expected.counted_rows);
}

using SL = SoftmaxLoss;
using ST = SoftmaxTargets;
using SR = SoftmaxReduction;
INSTANTIATE_TEST_SUITE_P(
    Cases, HostSoftmaxLossRef,
    ::testing::Values(RefCase{"hard_mean_f32", SL::cross_entropy, ST::class_index_i64, SR::mean, DType::f32},
                      RefCase{"hard_sum_i32_f32", SL::cross_entropy, ST::class_index_i32, SR::sum, DType::f32},
                      RefCase{"hard_none_f16", SL::cross_entropy, ST::class_index_i64, SR::none, DType::f16},
                      RefCase{"hard_smooth_zloss_bf16", SL::cross_entropy, ST::class_index_i64, SR::mean, DType::bf16,
                              0.1f, 1e-3f},
                      RefCase{"hard_in_place_scaled_f16", SL::cross_entropy, ST::class_index_i32, SR::mean, DType::f16,
                              0.0f, 0.0f, true, 1024.0f},
                      RefCase{"soft_mean_f32", SL::cross_entropy, ST::probabilities, SR::mean, DType::f32},
                      RefCase{"soft_smooth_none_bf16", SL::cross_entropy, ST::probabilities, SR::none, DType::bf16,
                              0.2f},
                      RefCase{"soft_sum_in_place_f16", SL::cross_entropy, ST::probabilities, SR::sum, DType::f16, 0.0f,
                              0.0f, true},
                      RefCase{"kl_none_f32", SL::kl, ST::probabilities, SR::none, DType::f32},
                      RefCase{"kl_sum_bf16", SL::kl, ST::probabilities, SR::sum, DType::bf16},
                      RefCase{"kl_mean_f16", SL::kl, ST::probabilities, SR::mean, DType::f16},
                      RefCase{"kl_batchmean_in_place_f32", SL::kl, ST::probabilities, SR::batchmean, DType::f32, 0.0f,
                              0.0f, true, 0.5f}),
    [](const ::testing::TestParamInfo<RefCase>& param) { return std::string(param.param.name); });

// PyTorch smooths probability targets as (1 − ε)·q + ε/V, which for one-hot
// rows is exactly what it does with class indices: the two paths agree.
TEST(HostSoftmaxLossSmoothing, OneHotRowsWithSmoothingMatchClassIndices) {
  constexpr std::int64_t rows = 3;
  constexpr std::int64_t classes = 7;
  std::vector<float> z(rows * classes);
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = std::cos(1.3f * static_cast<float>(i)) * 4.0f;
  const std::vector<std::int64_t> t = {2, 6, 0};
  std::vector<float> one_hot(rows * classes, 0.0f);
  for (std::int64_t r = 0; r < rows; ++r) one_hot[r * classes + t[r]] = 1.0f;
  std::vector<float> g_hard(z.size()), g_soft(z.size());
  double l_hard = 0, l_soft = 0;
  SoftmaxLossCall call;
  call.rows = rows;
  call.classes = classes;
  call.logits = z.data();
  call.label_smoothing = 0.3f;
  call.targets = t.data();
  call.grad = g_hard.data();
  call.reduced_loss = &l_hard;
  softmax_loss(call, Backend::ref, nullptr, 0);
  call.targets = one_hot.data();
  call.targets_kind = SoftmaxTargets::probabilities;
  call.grad = g_soft.data();
  call.reduced_loss = &l_soft;
  softmax_loss(call, Backend::ref, nullptr, 0);
  EXPECT_NEAR(l_soft, l_hard, 1e-12 * l_hard);
  for (std::size_t i = 0; i < z.size(); ++i) EXPECT_NEAR(g_soft[i], g_hard[i], 1e-7f) << i;
}

}  // namespace
}  // namespace lossbench
