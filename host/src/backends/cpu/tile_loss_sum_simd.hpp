// The loss sum of one tile on the cpu backend, in the same order whichever
// thread computes the tile: each lane adds its losses in float over runs of
// kFloatRun vectors, then each run's lanes go to one double, in lane order.
// The caller keeps the state (a float vector, a run length, a double), as
// Highway's vectors cannot be members on every target:
//
//   auto float_sum = hn::Zero(d); int run = 0; double sum = 0.0;
//   for (...) AddLosses(d, loss, count, float_sum, run, sum);
//   const double tile_sum = FinishLossSum(d, float_sum, sum);
//
// Included once per Highway target from inside HWY_NAMESPACE (foreach_target.h
// re-includes the file that includes it), hence the per-target guard.
#if defined(LOSSBENCH_TILE_LOSS_SUM_SIMD_HPP) == defined(HWY_TARGET_TOGGLE)
#ifdef LOSSBENCH_TILE_LOSS_SUM_SIMD_HPP
#undef LOSSBENCH_TILE_LOSS_SUM_SIMD_HPP
#else
#define LOSSBENCH_TILE_LOSS_SUM_SIMD_HPP
#endif

#include <cstddef>
#include <cstdint>

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace lossbench::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

/// Float sums of at most this many losses per lane before they go to double:
/// Higham's γ_16 ≈ 1e-6, well inside the reduced losses' bounds.
inline constexpr int kFloatRun = 16;

/// sum + v's lanes, in lane order, in double.
template <class D>
HWY_INLINE double AddLanesAsDoubles(D d, double sum, hn::Vec<D> v) {
  HWY_ALIGN float lanes[hn::MaxLanes(d)];
  hn::Store(v, d, lanes);
  for (std::size_t j = 0; j < hn::Lanes(d); ++j) sum += lanes[j];
  return sum;
}

/// Adds the first `count` lanes of `loss` (count < Lanes(d) only for a
/// call's last vector) to the tile's sum.
template <class D>
HWY_INLINE void AddLosses(D d, hn::Vec<D> loss, std::int64_t count, hn::Vec<D>& float_sum, int& run,
                          double& double_sum) {
  float_sum = hn::Add(float_sum, hn::IfThenElseZero(hn::FirstN(d, static_cast<std::size_t>(count)), loss));
  if (++run == kFloatRun) {
    double_sum = AddLanesAsDoubles(d, double_sum, float_sum);
    float_sum = hn::Zero(d);
    run = 0;
  }
}

/// The tile's sum: the double sum plus the lanes of the last, partial run.
template <class D>
HWY_INLINE double FinishLossSum(D d, hn::Vec<D> float_sum, double double_sum) {
  return AddLanesAsDoubles(d, double_sum, float_sum);
}

}  // namespace lossbench::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target guard
