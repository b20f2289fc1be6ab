// softmax_row_simd.hpp on Highway vectors, compiled once per Highway target
// (foreach_target.h includes this file again for each); HWY_DYNAMIC_DISPATCH
// picks the best the CPU runs. Highway's Exp is within 1 ulp (its
// documentation), inside the 2 ulps the softmax bounds allow expf; it gives
// 0 below −104, which covers e^{−∞}, and for NaN, which the state's check
// keeps out.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "backends/cpu/softmax_row_simd.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "backends/cpu/softmax_row_simd.hpp"
#include "backends/cpu/storage_simd.hpp"
#include "hwy/contrib/math/math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace lossbench::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D = hn::ScalableTag<float>;
using V = hn::Vec<D>;

/// Interleaved lanes of a row's sums: as many vectors as make 16 lanes.
constexpr std::size_t kSumLanes = 16;
constexpr std::size_t kMaxAccumulators = 16;

/// `count` elements from src to dst through float vectors (storage_simd.hpp
/// rounds on the way to f16/bf16).
template <class From, class To>
void Convert(const From* src, std::int64_t count, To* dst) {
  const D d;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
  for (std::int64_t j = 0; j < count; j += lanes) {
    const std::int64_t n = std::min(lanes, count - j);
    StoreFloats(d, LoadFloats(d, src + j, n), dst + j, n);
  }
}

void StorageToFloats(DType dtype, const void* src, std::int64_t count, float* dst) {
  switch (dtype) {
    case DType::f32: return Convert(static_cast<const float*>(src), count, dst);
    case DType::f16: return Convert(static_cast<const hwy::float16_t*>(src), count, dst);
    case DType::bf16: return Convert(static_cast<const hwy::bfloat16_t*>(src), count, dst);
  }
}

void FloatsToStorage(DType dtype, const float* src, std::int64_t count, void* dst) {
  switch (dtype) {
    case DType::f32: return Convert(src, count, static_cast<float*>(dst));
    case DType::f16: return Convert(src, count, static_cast<hwy::float16_t*>(dst));
    case DType::bf16: return Convert(src, count, static_cast<hwy::bfloat16_t*>(dst));
  }
}

bool HardRowState(const float* z, const float* w, std::int64_t classes, kernels::SoftmaxRowState& state) {
  const D d;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
  const std::size_t accumulators = std::clamp<std::size_t>(kSumLanes / hn::Lanes(d), 1, kMaxAccumulators);
  const auto neg_inf = hn::Set(d, -INFINITY);
  auto max = neg_inf;
  auto nan = hn::FirstN(d, 0);
  std::int64_t j = 0;
  for (; j + lanes <= classes; j += lanes) {
    const V v = hn::LoadU(d, z + j);
    nan = hn::Or(nan, hn::IsNaN(v));
    max = hn::Max(max, v);
  }
  if (j < classes) {
    const std::int64_t rest = classes - j;
    const V v = hn::IfThenElse(hn::FirstN(d, static_cast<std::size_t>(rest)), LoadFloats(d, z + j, rest), neg_inf);
    nan = hn::Or(nan, hn::IsNaN(v));
    max = hn::Max(max, v);
  }
  const float m = hn::GetLane(hn::MaxOfLanes(d, max));
  if (!hn::AllFalse(d, nan) || !std::isfinite(m)) return false;

  const auto m_vec = hn::Set(d, m);
  const auto inf = hn::Set(d, INFINITY);
  const auto zero = hn::Zero(d);
  V s[kMaxAccumulators];
  V gap[kMaxAccumulators];
  V tilt[kMaxAccumulators];
  V count[kMaxAccumulators];
  for (std::size_t a = 0; a < accumulators; ++a) s[a] = gap[a] = tilt[a] = count[a] = zero;
  // d = m − z (+inf for z = −inf), e = e^{−d}, tilt's term e·d with 0·inf = 0
  // (kernels::softmax_single_about); lanes past the row add nothing. With
  // weights, count's term is w and gap's w·d, again with 0·inf = 0.
  const auto add = [&](std::size_t a, V v, V weight, decltype(nan) valid) {
    const V dist = hn::IfThenElseZero(valid, hn::IfThenElse(hn::Eq(v, neg_inf), inf, hn::Sub(m_vec, v)));
    const V e = hn::IfThenElseZero(valid, hn::Exp(d, hn::Neg(dist)));
    s[a] = hn::Add(s[a], e);
    tilt[a] = hn::Add(tilt[a], hn::IfThenZeroElse(hn::Eq(e, zero), hn::Mul(e, dist)));
    if (w == nullptr) {
      gap[a] = hn::Add(gap[a], dist);
    } else {
      count[a] = hn::Add(count[a], weight);
      gap[a] = hn::Add(gap[a], hn::IfThenZeroElse(hn::Eq(weight, zero), hn::Mul(weight, dist)));
    }
  };
  const auto all = hn::FirstN(d, hn::Lanes(d));
  std::size_t a = 0;
  for (j = 0; j + lanes <= classes; j += lanes) {
    add(a, hn::LoadU(d, z + j), w != nullptr ? hn::LoadU(d, w + j) : zero, all);
    a = a + 1 == accumulators ? 0 : a + 1;
  }
  if (j < classes) {
    const std::int64_t rest = classes - j;
    add(a, LoadFloats(d, z + j, rest), w != nullptr ? LoadFloats(d, w + j, rest) : zero,
        hn::FirstN(d, static_cast<std::size_t>(rest)));
  }
  // The accumulators pairwise, then the lanes (a tree either way).
  for (std::size_t width = 1; width < accumulators; width *= 2) {
    for (std::size_t i = 0; i + width < accumulators; i += 2 * width) {
      s[i] = hn::Add(s[i], s[i + width]);
      gap[i] = hn::Add(gap[i], gap[i + width]);
      tilt[i] = hn::Add(tilt[i], tilt[i + width]);
      count[i] = hn::Add(count[i], count[i + width]);
    }
  }
  kernels::SoftmaxRowState r;
  r.m = m;
  r.s = hn::GetLane(hn::SumOfLanes(d, s[0]));
  r.count = w == nullptr ? static_cast<float>(classes) : hn::GetLane(hn::SumOfLanes(d, count[0]));
  r.gap = hn::GetLane(hn::SumOfLanes(d, gap[0]));
  r.tilt = hn::GetLane(hn::SumOfLanes(d, tilt[0]));
  state = r;
  return true;
}

void Probabilities(const float* z, std::int64_t classes, const kernels::LogSumExp& lse, float* p) {
  const D d;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
  const auto m = hn::Set(d, lse.m);
  const auto log_s = hn::Set(d, lse.log_s);
  std::int64_t j = 0;
  for (; j + lanes <= classes; j += lanes) {
    hn::StoreU(hn::Exp(d, hn::Sub(hn::Sub(hn::LoadU(d, z + j), m), log_s)), d, p + j);
  }
  if (j < classes) {
    const std::int64_t rest = classes - j;
    StoreFloats(d, hn::Exp(d, hn::Sub(hn::Sub(LoadFloats(d, z + j, rest), m), log_s)), p + j, rest);
  }
}

}  // namespace lossbench::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lossbench::detail {

HWY_EXPORT(StorageToFloats);
HWY_EXPORT(FloatsToStorage);
HWY_EXPORT(HardRowState);
HWY_EXPORT(Probabilities);

void storage_to_floats_simd(DType dtype, const void* src, std::int64_t count, float* dst) {
  HWY_DYNAMIC_DISPATCH(StorageToFloats)(dtype, src, count, dst);
}

void floats_to_storage_simd(DType dtype, const float* src, std::int64_t count, void* dst) {
  HWY_DYNAMIC_DISPATCH(FloatsToStorage)(dtype, src, count, dst);
}

bool softmax_hard_row_state_simd(const float* z, const float* w, std::int64_t classes,
                                 kernels::SoftmaxRowState& state) {
  return HWY_DYNAMIC_DISPATCH(HardRowState)(z, w, classes, state);
}

void softmax_probabilities_simd(const float* z, std::int64_t classes, const kernels::LogSumExp& lse, float* p) {
  HWY_DYNAMIC_DISPATCH(Probabilities)(z, classes, lse, p);
}

}  // namespace lossbench::detail
#endif
