// Loads and stores of f32, f16 and bf16 storage as float vectors, rounding
// as the kernels do (to nearest, ties to even; NaN stays NaN), for the cpu
// backend. `count` < Lanes(d) touches only the first `count` elements (the
// call's last vector), through a buffer on the stack.
//
// f16 through Highway's conversions only where they are the hardware's
// (x86 with F16C, i.e. AVX2 and up): Highway 1.0's software fallback
// truncates on the way down and turns inf/NaN into numbers on the way up, so
// the other targets convert lane by lane with lossbench's own conversions.
// bf16 is a shift up, and round-to-nearest-even by integer arithmetic down
// (Highway 1.0's DemoteTo to bf16 truncates).
//
// Included once per Highway target, hence the per-target guard.
#if defined(LOSSBENCH_STORAGE_SIMD_HPP) == defined(HWY_TARGET_TOGGLE)
#ifdef LOSSBENCH_STORAGE_SIMD_HPP
#undef LOSSBENCH_STORAGE_SIMD_HPP
#else
#define LOSSBENCH_STORAGE_SIMD_HPP
#endif

#include <cstdint>
#include <cstring>

#include "hwy/highway.h"
#include "lossbench/core/dtype.hpp"

HWY_BEFORE_NAMESPACE();
namespace lossbench::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

inline constexpr bool kHardwareF16 = HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2;

template <class D>
HWY_INLINE hn::Vec<D> LoadFloatsFull(D d, const float* p) {
  return hn::LoadU(d, p);
}

template <class D>
HWY_INLINE hn::Vec<D> LoadFloatsFull(D d, const hwy::bfloat16_t* p) {
  return hn::PromoteTo(d, hn::LoadU(hn::Rebind<hwy::bfloat16_t, D>(), p));
}

template <class D>
HWY_INLINE hn::Vec<D> LoadFloatsFull(D d, const hwy::float16_t* p) {
  if constexpr (kHardwareF16) {
    return hn::PromoteTo(d, hn::LoadU(hn::Rebind<hwy::float16_t, D>(), p));
  } else {
    HWY_ALIGN float values[hn::MaxLanes(d)];
    for (std::size_t j = 0; j < hn::Lanes(d); ++j) {
      Half h;
      std::memcpy(&h.bits, p + j, 2);
      values[j] = half_to_float(h);
    }
    return hn::Load(d, values);
  }
}

template <class D>
HWY_INLINE void StoreFloatsFull(D d, hn::Vec<D> v, float* p) {
  hn::StoreU(v, d, p);
}

template <class D>
HWY_INLINE void StoreFloatsFull(D /*d*/, hn::Vec<D> v, hwy::bfloat16_t* p) {
  const hn::RebindToUnsigned<D> du;
  const auto bits = hn::BitCast(du, v);
  // Add 0x7FFF plus the lowest bit that is kept, then drop 16 bits: to nearest, ties to even.
  const auto bias = hn::Add(hn::Set(du, 0x7FFFu), hn::And(hn::ShiftRight<16>(bits), hn::Set(du, 1u)));
  const auto rounded = hn::ShiftRight<16>(hn::Add(bits, bias));
  const auto quiet_nan = hn::Or(hn::And(hn::ShiftRight<16>(bits), hn::Set(du, 0x8000u)), hn::Set(du, 0x7FC0u));
  const auto out = hn::IfThenElse(hn::RebindMask(du, hn::IsNaN(v)), quiet_nan, rounded);
  const hn::Rebind<std::uint16_t, D> du16;
  hn::StoreU(hn::DemoteTo(du16, hn::BitCast(hn::RebindToSigned<D>(), out)), du16,
             reinterpret_cast<std::uint16_t*>(p));
}

template <class D>
HWY_INLINE void StoreFloatsFull(D d, hn::Vec<D> v, hwy::float16_t* p) {
  if constexpr (kHardwareF16) {
    hn::StoreU(hn::DemoteTo(hn::Rebind<hwy::float16_t, D>(), v), hn::Rebind<hwy::float16_t, D>(), p);
  } else {
    HWY_ALIGN float values[hn::MaxLanes(d)];
    hn::Store(v, d, values);
    for (std::size_t j = 0; j < hn::Lanes(d); ++j) {
      const Half h = double_to_half(values[j]);
      std::memcpy(p + j, &h.bits, 2);
    }
  }
}

/// The first `count` elements at p as floats (the other lanes are 0).
template <class T, class D>
HWY_INLINE hn::Vec<D> LoadFloats(D d, const T* p, std::int64_t count) {
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
  if (HWY_LIKELY(count == lanes)) return LoadFloatsFull(d, p);
  HWY_ALIGN T buffer[hn::MaxLanes(d)] = {};
  std::memcpy(buffer, p, static_cast<std::size_t>(count) * sizeof(T));
  return LoadFloatsFull(d, static_cast<const T*>(buffer));
}

/// Stores the first `count` lanes of v at p, rounded to T.
template <class T, class D>
HWY_INLINE void StoreFloats(D d, hn::Vec<D> v, T* p, std::int64_t count) {
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
  if (HWY_LIKELY(count == lanes)) return StoreFloatsFull(d, v, p);
  HWY_ALIGN T buffer[hn::MaxLanes(d)];
  StoreFloatsFull(d, v, buffer);
  std::memcpy(p, buffer, static_cast<std::size_t>(count) * sizeof(T));
}

}  // namespace lossbench::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target guard
