#pragma once
// The fused sigmoid + loss + gradient kernel: one launch reads each logit and
// target once, writes each gradient (and per-element loss) once, and reduces
// the loss deterministically in the same launch.
//
// Work is cut into fixed tiles of kTileElements. A persistent grid of blocks
// of kBlockThreads walks the tiles (block b takes tiles b, b + grid, ...).
// For each tile every thread accumulates its elements in float, cub's
// BlockReduce sums the threads, and the tile's partial goes to
// tile_partials[tile]. The last block to finish (a ticket from an atomic counter on
// integers, never floats) sums the partials in double in a fixed order that
// depends only on the number of tiles (last_block_sum.cuh), and writes the
// reduced loss. So the result has the same bits on every run and for every
// grid size.
//
// Bytes per element (T = storage type, 4 or 2 bytes):
//   forward only, reduced:        read z, y            = 2·sizeof(T)
//   forward + gradient, reduced:  read z, y; write g   = 3·sizeof(T)
//   reduction none adds one write of ℓ                 + sizeof(T)
//   a weight of the input's shape adds one read        + sizeof(T)
//   (a broadcast weight or pos_weight, e.g. one per class, is read from cache)
// plus 4 bytes per 4096 elements of tile partials (≈ 0.1%, negligible).
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/common/element_types.cuh"
#include "lossbench/core/broadcast.hpp"
#include "kernels/common/last_block_sum.cuh"
#include "kernels/loss/fused_loss_tiling.hpp"
#include "kernels/loss/loss_math.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// Asking ptxas for 4 resident blocks (1024 threads) per SM caps registers at
/// 64; without it ptxas spilled in the f32 BCE variant (sm_90, nvcc 13). Four
/// blocks with 16 × 16-byte loads in flight per thread keep 256 KiB in flight
/// per SM, far above what Little's law asks for at H100 bandwidth
/// (3.35 TB/s × ~0.6 µs / 132 SMs ≈ 15 KiB).
inline constexpr int kMinBlocksPerSm = 4;

template <class T>
struct FusedLossParams {
  const T* logits = nullptr;   // z; not __restrict__: grad may alias it (in place)
  const T* targets = nullptr;  // y in [0, 1]
  T* grad = nullptr;           // dC/dz, or null for forward only; may equal logits
  T* elementwise_loss = nullptr;  // ℓ_i for reduction none, else null
  std::int64_t n = 0;
  float grad_multiplier = 1.0f;   // grad_scale, divided by n for mean
  LossParams loss_params;
  const T* weight = nullptr;       // w per element through weight_layout, or null
  BroadcastLayout weight_layout;
  const T* pos_weights = nullptr;  // bce: p per element through pos_weight_layout, or null
  BroadcastLayout pos_weight_layout;
  // Reduction (mean/sum) only:
  float* tile_partials = nullptr;          // one float per tile
  unsigned int* blocks_done = nullptr;     // 0 before launch; the last block resets it
  double* reduced_loss = nullptr;          // the result
  double reduction_multiplier = 1.0;       // 1 for sum, 1/n for mean (NaN for n = 0)
  bool vectorized = false;  // every pointer 16-byte aligned, no weights: use Pack16 loads/stores
};

/// The number of tiles, i.e. of partial sums, for n elements.
__host__ __device__ __forceinline__ std::int64_t tile_count(std::int64_t n) {
  return (n + kTileElements - 1) / kTileElements;
}

// The weights of element i, when the call has them: p replaces the scalar
// pos_weight, w multiplies the loss and the gradient.
template <class Loss, class T>
__device__ __forceinline__ LossAndGrad weighted_eval(const FusedLossParams<T>& p, std::int64_t i, float z, float y) {
  LossParams params = p.loss_params;
  if (p.pos_weights != nullptr) params.pos_weight = to_float(p.pos_weights[broadcast_offset(p.pos_weight_layout, i)]);
  LossAndGrad r = Loss::eval(z, y, params);
  if (p.weight != nullptr) {
    const float w = to_float(p.weight[broadcast_offset(p.weight_layout, i)]);
    r.loss *= w;
    r.grad *= w;
  }
  return r;
}

template <class Loss, class T, bool kWriteGrad, bool kWriteElementLoss>
__device__ __forceinline__ float process_element(const FusedLossParams<T>& p, std::int64_t i, float z, float y) {
  const LossAndGrad r = weighted_eval<Loss>(p, i, z, y);
  if constexpr (kWriteGrad) p.grad[i] = from_float<T>(r.grad * p.grad_multiplier);
  if constexpr (kWriteElementLoss) p.elementwise_loss[i] = from_float<T>(r.loss);
  return r.loss;
}

// A full tile through 16-byte packs: thread t handles packs t, t + 256, ... so
// that a warp's loads are contiguous (coalesced). All loads of a thread are
// issued before any math so that they are in flight together.
template <class Loss, class T, bool kWriteGrad, bool kWriteElementLoss>
__device__ __forceinline__ float process_full_tile_packed(const FusedLossParams<T>& p, std::int64_t base,
                                                          int thread) {
  constexpr int kPackElements = Pack16<T>::kElements;
  constexpr int kPacksPerThread = kTileElements / kPackElements / kBlockThreads;
  Pack16<T> z[kPacksPerThread];
  Pack16<T> y[kPacksPerThread];
LOSSBENCH_UNROLL
  for (int k = 0; k < kPacksPerThread; ++k) {
    const std::int64_t offset = base + static_cast<std::int64_t>(thread + k * kBlockThreads) * kPackElements;
    z[k] = *reinterpret_cast<const Pack16<T>*>(p.logits + offset);
    y[k] = *reinterpret_cast<const Pack16<T>*>(p.targets + offset);
  }
  float sum = 0.0f;
LOSSBENCH_UNROLL
  for (int k = 0; k < kPacksPerThread; ++k) {
    const std::int64_t offset = base + static_cast<std::int64_t>(thread + k * kBlockThreads) * kPackElements;
    Pack16<T> g;
    Pack16<T> l;
LOSSBENCH_UNROLL
    for (int j = 0; j < kPackElements; ++j) {
      const LossAndGrad r = Loss::eval(to_float(z[k].v[j]), to_float(y[k].v[j]), p.loss_params);
      g.v[j] = from_float<T>(r.grad * p.grad_multiplier);
      l.v[j] = from_float<T>(r.loss);
      sum += r.loss;
    }
    if constexpr (kWriteGrad) *reinterpret_cast<Pack16<T>*>(p.grad + offset) = g;
    if constexpr (kWriteElementLoss) *reinterpret_cast<Pack16<T>*>(p.elementwise_loss + offset) = l;
  }
  return sum;
}

// Any tile, one element at a time: the last, partial tile, and every tile
// when a pointer is not 16-byte aligned.
template <class Loss, class T, bool kWriteGrad, bool kWriteElementLoss>
__device__ __forceinline__ float process_tile_by_element(const FusedLossParams<T>& p, std::int64_t base,
                                                         std::int64_t count, int thread) {
  float sum = 0.0f;
  for (std::int64_t j = thread; j < count; j += kBlockThreads) {
    const std::int64_t i = base + j;
    sum += process_element<Loss, T, kWriteGrad, kWriteElementLoss>(p, i, to_float(p.logits[i]),
                                                                    to_float(p.targets[i]));
  }
  return sum;
}

template <class Loss, class T, bool kWriteGrad, bool kWriteElementLoss, bool kReduce>
__global__ void __launch_bounds__(kBlockThreads, kMinBlocksPerSm) fused_loss_kernel(FusedLossParams<T> p) {
  union SharedStorage {
    typename cub::BlockReduce<float, kBlockThreads>::TempStorage as_float;
    LastBlockSumStorage<kBlockThreads> as_double;
  };
  LOSSBENCH_SHARED(SharedStorage, temp);
  LOSSBENCH_SHARED(bool, is_last_block);

  const int thread = static_cast<int>(threadIdx.x);
  const std::int64_t num_tiles = tile_count(p.n);
  for (std::int64_t tile = blockIdx.x; tile < num_tiles; tile += gridDim.x) {
    const std::int64_t base = tile * kTileElements;
    const std::int64_t count = p.n - base < kTileElements ? p.n - base : kTileElements;
    const float thread_sum =
        p.vectorized && count == kTileElements
            ? process_full_tile_packed<Loss, T, kWriteGrad, kWriteElementLoss>(p, base, thread)
            : process_tile_by_element<Loss, T, kWriteGrad, kWriteElementLoss>(p, base, count, thread);
    if constexpr (kReduce) {
      const float tile_sum = cub::BlockReduce<float, kBlockThreads>(temp.as_float).Sum(thread_sum);
      if (thread == 0) p.tile_partials[tile] = tile_sum;
      __syncthreads();  // temp is reused by the next tile's reduction
    }
  }
  if constexpr (kReduce) {
    double total = 0.0;
    if (sum_partials_in_last_block<kBlockThreads>(p.tile_partials, num_tiles, p.blocks_done, temp.as_double,
                                                  is_last_block, thread, total) &&
        thread == 0) {
      *p.reduced_loss = total * p.reduction_multiplier;
    }
  }
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
