#pragma once
// An array on a backend with guard elements on both sides, for checking that
// a facility writes every element of an output and nothing around it: poison
// the whole buffer (guards included) with NaN bytes, run, then download the
// array and learn whether the guards still hold the poison. Inputs use it too,
// for the element offset that puts an array off a 16-byte boundary.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/backend_buffer.hpp"

namespace lossbench {

/// 0xff in every byte is a NaN in f16, bf16, f32 and f64.
inline constexpr unsigned char kPoisonByte = 0xff;
/// Guard elements on each side: 32 keep the array 16-byte aligned at offset 0
/// for every element size of 2 bytes or more.
inline constexpr std::int64_t kGuardElements = 32;

/// What one download of a guarded array found.
struct GuardedContents {
  std::vector<unsigned char> payload;  // the array's own bytes
  bool guards_intact = true;           // every guard byte still the poison
};

class GuardedArray {
 public:
  /// n elements of `element_bytes` each on `backend`, starting `offset`
  /// elements past the 16-byte aligned end of the front guard (1: an odd
  /// pointer for 4-byte elements). Throws BackendError when it cannot allocate.
  GuardedArray(Backend backend, std::size_t element_bytes, std::int64_t n, int offset = 0);

  void* data() const;
  template <class T>
  T* as() const {
    return static_cast<T*>(data());
  }
  std::int64_t size() const { return n_; }

  /// Every byte, guards included, set to kPoisonByte.
  void poison();
  /// Copies `bytes` (at most the array's) to the start of the array.
  void upload(const void* host, std::size_t bytes);
  /// The array's bytes, and whether the guards around it are intact; waits for the device.
  GuardedContents download() const;

 private:
  std::size_t bytes(std::int64_t elements) const;
  std::size_t element_bytes_;
  std::int64_t n_;
  std::int64_t front_;  // elements before the array: the guard and the offset
  BackendBuffer buffer_;
};

}  // namespace lossbench
