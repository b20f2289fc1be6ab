#pragma once
// __syncthreads, memory fences and the warp-synchronous operations
// (__syncwarp, __shfl*_sync, __ballot_sync, __any_sync, __all_sync) of CUDA
// C++, as the emulator provides them.
#include <atomic>
#include <cstdint>
#include <cstring>
#include <source_location>
#include <type_traits>

#include "emu/runtime.hpp"

// ---------------------------------------------------------------- barriers

/// Waits for every live thread of the block; reports a divergent barrier.
inline void __syncthreads(const std::source_location site = std::source_location::current()) {
  lossbench::emu::sync_threads(site);
}

// Every emulated access is sequentially consistent already (README: known
// limits), so no test can tell this fence from none; it keeps the compiler
// from moving accesses across it, as the kernels' fence-then-ticket needs.
inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }

// ---------------------------------------------------------- warp operations

namespace lossbench::emu {

template <class T>
std::uint64_t to_bits(T value) {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= 8, "warp operations move values of up to 8 bytes");
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof(T));
  return bits;
}

template <class T>
T from_bits(std::uint64_t bits) {
  T value;
  std::memcpy(&value, &bits, sizeof(T));
  return value;
}

}  // namespace lossbench::emu

inline void __syncwarp(unsigned mask = 0xffffffffu) {
  lossbench::emu::warp_op(lossbench::emu::WarpOpKind::sync, mask, 0, 0, 32);
}

template <class T>
T __shfl_sync(unsigned mask, T var, int src_lane, int width = warpSize) {
  using namespace lossbench::emu;
  return from_bits<T>(warp_op(WarpOpKind::shfl_idx, mask, to_bits(var), src_lane, width));
}

template <class T>
T __shfl_up_sync(unsigned mask, T var, unsigned delta, int width = warpSize) {
  using namespace lossbench::emu;
  return from_bits<T>(warp_op(WarpOpKind::shfl_up, mask, to_bits(var), static_cast<int>(delta), width));
}

template <class T>
T __shfl_down_sync(unsigned mask, T var, unsigned delta, int width = warpSize) {
  using namespace lossbench::emu;
  return from_bits<T>(warp_op(WarpOpKind::shfl_down, mask, to_bits(var), static_cast<int>(delta), width));
}

template <class T>
T __shfl_xor_sync(unsigned mask, T var, int lane_mask, int width = warpSize) {
  using namespace lossbench::emu;
  return from_bits<T>(warp_op(WarpOpKind::shfl_xor, mask, to_bits(var), lane_mask, width));
}

inline unsigned __ballot_sync(unsigned mask, int predicate) {
  using namespace lossbench::emu;
  return static_cast<unsigned>(warp_op(WarpOpKind::ballot, mask, predicate != 0 ? 1 : 0, 0, 32));
}

inline int __any_sync(unsigned mask, int predicate) { return __ballot_sync(mask, predicate) != 0; }
inline int __all_sync(unsigned mask, int predicate) { return __ballot_sync(mask, predicate) == mask; }

