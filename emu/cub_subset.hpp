#pragma once
// The part of CUB our kernels use, with CUB's interface, for the emulator:
// cub::BlockReduce over a 1-D block with its default algorithm (TempStorage,
// Sum, Reduce with a functor, and the valid-items overloads), a full warp's
// cub::WarpReduce::Sum, and cub::DeviceReduce::Sum. Under nvcc the real CUB
// is used; kernels/common/cuda_compat.cuh picks one. Whatever else of CUB a
// kernel needs is added with a test (tests/emu/): until then it does not
// compile here, rather than compile to something else.
//
// As in CUB, a block reduction's result is defined in thread 0 only: the
// other threads get a poison value here (NaN, or all bits set), so a kernel
// that wrongly uses it fails its tests. The order of the additions follows
// CUB's default algorithm (BLOCK_REDUCE_WARP_REDUCTIONS): a shuffle-down tree
// inside each warp (offsets 1, 2, 4, 8, 16), then the warp totals in order.
#include <cstddef>
#include <cstring>
#include <string>
#include <type_traits>

#include "emu/device_sync.hpp"
#include "emu/runtime.hpp"

namespace cub {

namespace emu_detail {

// What Sum() reduces with. (CUB 3 has no cub::Sum/cub::Max: kernels pass
// their own functor, or ::cuda::std::plus, to Reduce.)
struct Plus {
  template <class T>
  T operator()(const T& a, const T& b) const {
    return a + b;
  }
};

template <class T>
T poison() {
  T value;
  std::memset(static_cast<void*>(&value), 0xff, sizeof(T));
  return value;
}

// CUB's warp tree over values[0, count): lane l adds lane l + offset for
// offsets 1, 2, 4, ...; lane 0 ends with the total. Ascending l reads each
// l + offset before it is overwritten, as the simultaneous shuffle does.
template <class T, class Op>
T warp_tree(T* values, int count, Op op) {
  for (int offset = 1; offset < 32; offset *= 2) {
    for (int lane = 0; lane + offset < count; ++lane) values[lane] = op(values[lane], values[lane + offset]);
  }
  return values[0];
}

}  // namespace emu_detail

template <class T, int BLOCK_DIM_X>
class BlockReduce {
  static constexpr int kThreads = BLOCK_DIM_X;

 public:
  struct TempStorage {
    T values[kThreads];
  };

  explicit BlockReduce(TempStorage& storage) : storage_(storage) {}

  T Sum(T input) { return Reduce(input, emu_detail::Plus{}, kThreads); }
  T Sum(T input, int valid_items) { return Reduce(input, emu_detail::Plus{}, valid_items); }
  template <class Op>
  T Reduce(T input, Op op) {
    return Reduce(input, op, kThreads);
  }

  template <class Op>
  T Reduce(T input, Op op, int valid_items) {
    if (static_cast<int>(blockDim.x) != kThreads || blockDim.y != 1 || blockDim.z != 1) {
      throw lossbench::emu::EmuError("cub::BlockReduce for " + std::to_string(kThreads) +
                                     " threads used in a block of (" + std::to_string(blockDim.x) + ", " +
                                     std::to_string(blockDim.y) + ", " + std::to_string(blockDim.z) + ")");
    }
    const int thread = static_cast<int>(threadIdx.x);
    storage_.values[thread] = input;
    __syncthreads();
    if (thread != 0) return emu_detail::poison<T>();
    const int valid = valid_items < kThreads ? valid_items : kThreads;
    if (valid <= 0) return emu_detail::poison<T>();  // as undefined as in CUB
    const auto warp_total = [&](int first) {
      T lanes[32];
      const int count = valid - first < 32 ? valid - first : 32;
      for (int lane = 0; lane < count; ++lane) lanes[lane] = storage_.values[first + lane];
      return emu_detail::warp_tree(lanes, count, op);
    };
    T total = warp_total(0);
    for (int first = 32; first < valid; first += 32) total = op(total, warp_total(first));
    return total;
  }

 private:
  TempStorage& storage_;
};

/// A full warp's sum through the emulated shuffles, as CUB's shuffle-based
/// WarpReduce does it: the result is defined in lane 0 (the other lanes end
/// with partial sums).
template <class T>
class WarpReduce {
 public:
  struct TempStorage {
    unsigned char unused;
  };

  explicit WarpReduce(TempStorage&) {}

  T Sum(T input) {
    T value = input;
    for (unsigned offset = 1; offset < 32; offset *= 2) value = value + __shfl_down_sync(0xffffffffu, value, offset);
    return value;
  }
};

/// cub::DeviceReduce::Sum with CUB's two-call protocol: called with a null
/// temporary storage it only reports the bytes it needs; called again, it
/// sums num_items inputs into *output, accumulating in the output's type, in
/// index order, on the host (the emulator's device memory is host memory).
struct DeviceReduce {
  template <class InputIt, class OutputIt, class NumItems, class Stream = std::nullptr_t>
  static cudaError_t Sum(void* temp_storage, std::size_t& temp_storage_bytes, InputIt input, OutputIt output,
                         NumItems num_items, Stream = nullptr) {
    if (temp_storage == nullptr) {
      temp_storage_bytes = 16;
      return cudaSuccess;
    }
    using Accumulator = std::remove_cvref_t<decltype(*output)>;
    Accumulator total{};
    for (NumItems i = 0; i < num_items; ++i) total = total + static_cast<Accumulator>(input[i]);
    *output = total;
    return cudaSuccess;
  }
};

}  // namespace cub
