#pragma once
// The cpu backend's one way of using threads: a fixed number of tiles, each
// computed whole by one thread, in any order. Whatever a tile computes
// depends only on the tile, so the results (partial sums included, which the
// caller adds in tile order) have the same bits for every thread count.
//
// OpenMP rather than a pool of our own: the compiler ships it (libgomp with
// g++), its team of threads persists between calls (a parallel region costs
// microseconds, not a thread start), and a static schedule over tiles is
// all we need. Internal.
#include <algorithm>
#include <cstdint>
#include <exception>

#include "lossbench/core/cpu_threads.hpp"

namespace lossbench::detail {

/// A thread is given at least this many tiles (of ~50 µs each at most):
/// handing work to another thread costs microseconds on an idle machine but
/// milliseconds when its cores are busy with other processes (OpenMP's
/// threads then wait their turn), so a small call stays on one thread.
inline constexpr std::int64_t kMinTilesPerThread = 4;

/// Calls tile_fn(t) for t in [0, tiles), on up to cpu_threads() threads.
/// An exception thrown by a tile (std::bad_alloc of a thread's scratch) is
/// rethrown here, after the other tiles, instead of ending the process as an
/// exception leaving an OpenMP region would.
template <class TileFn>
void for_each_tile(std::int64_t tiles, TileFn&& tile_fn) {
  const std::int64_t most = tiles / kMinTilesPerThread;
  const int threads = most < 2 ? 1 : static_cast<int>(std::min<std::int64_t>(most, cpu_threads()));
  if (threads == 1) {
    for (std::int64_t t = 0; t < tiles; ++t) tile_fn(t);
    return;
  }
  std::exception_ptr failure;
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::int64_t t = 0; t < tiles; ++t) {
    try {
      tile_fn(t);
    } catch (...) {
#pragma omp critical(lossbench_for_each_tile_failure)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace lossbench::detail
