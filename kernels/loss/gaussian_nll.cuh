#pragma once
// The Gaussian negative log-likelihood with both gradients in one launch:
// each of μ, y and var is read once; grad_mu and grad_var (each optional)
// and, for reduction none, the per-element loss are written once; sum and
// mean are reduced deterministically in the same launch. The per-element
// math is gaussian_nll_math.cuh's, in float32, from f32/f16/bf16 storage.
//
// Schedule, as fused_loss.cuh's: fixed tiles of kGaussianNllTileElements
// (gaussian_nll_tiling.hpp); a persistent grid of blocks walks them (block b
// takes tiles b, b + grid, ...). Per tile every thread sums its losses in
// float, cub's BlockReduce sums the threads, and the tile's partial goes to
// tile_partials[tile]; the last block sums the partials in double
// (last_block_sum.cuh). So the reduced loss has the same bits for every
// grid size and run.
//
// Where all six pointers are 16-byte aligned, full tiles go through 16-byte
// packs (ld.global.v4): thread t takes packs t, t + 256, ... of each array,
// so that a warp's loads are contiguous. Other tiles, and every tile of a
// call with a misaligned pointer, go element by element. Indices are 64-bit.
//
// In place: grad_mu may be mu and grad_var may be var. Each element is
// written only by the thread that read it, after it read it.
//
// Bytes per element (T = storage type, 4 or 2 bytes):
//   read μ, y, var                              3·sizeof(T)
//   write grad_mu, grad_var (both requested)  + 2·sizeof(T)
//   = 5·sizeof(T): 20 B at f32, 10 B at f16/bf16
//   reduction none adds one write of ℓ         + sizeof(T)   (or replaces a gradient)
// plus, for sum and mean, 4 bytes per 4096 elements of tile partials (0.1 %).
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/common/element_types.cuh"
#include "kernels/common/last_block_sum.cuh"
#include "kernels/loss/gaussian_nll_math.cuh"
#include "kernels/loss/gaussian_nll_tiling.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// Which outputs a kernel variant writes: a bit mask, its template argument.
inline constexpr unsigned kWritesGradMu = 1u;
inline constexpr unsigned kWritesGradVar = 2u;
inline constexpr unsigned kWritesElementLoss = 4u;
inline constexpr unsigned kReducesLoss = 8u;

/// 4 resident blocks (1024 threads) per SM, as fused_loss.cuh: 64 registers
/// a thread, which the variants fit without spilling because a thread holds
/// at most two packs of each input at a time (kGaussianNllPacksPerStep).
/// 1024 threads × 3 arrays × 2 packs × 16 B = 96 KiB in flight per SM, far
/// above what Little's law asks at H200 bandwidth (4.8 TB/s × ~0.6 µs / 132
/// SMs ≈ 22 KiB).
inline constexpr int kGaussianNllMinBlocksPerSm = 4;
/// Packs of each input a thread loads before it computes any.
inline constexpr int kGaussianNllPacksPerStep = 2;

template <class T>
struct GaussianNllKernelParams {
  const T* mu = nullptr;      // not __restrict__: grad_mu may alias it
  const T* target = nullptr;  // y
  const T* var = nullptr;     // not __restrict__: grad_var may alias it
  T* grad_mu = nullptr;       // ∂C/∂μ, or null; may equal mu
  T* grad_var = nullptr;      // ∂C/∂var, or null; may equal var
  T* elementwise_loss = nullptr;  // ℓ_i for reduction none, else null
  std::int64_t n = 0;
  float grad_multiplier = 1.0f;   // grad_scale, divided by n for mean
  GaussianNllParams math;         // eps, full
  // Reduction (sum/mean) only:
  float* tile_partials = nullptr;       // one float per tile
  unsigned int* blocks_done = nullptr;  // 0 before launch; the last block resets it
  double* reduced_loss = nullptr;       // the result
  double reduction_multiplier = 1.0;    // 1 for sum, 1/n for mean (NaN for n = 0)
  bool vectorized = false;  // every pointer 16-byte aligned: full tiles through Pack16
};

/// gaussian_nll_tile_count for device code (the tiling header is plain C++).
__host__ __device__ __forceinline__ std::int64_t gaussian_nll_tiles(std::int64_t n) {
  return n <= 0 ? 0 : (n + kGaussianNllTileElements - 1) / kGaussianNllTileElements;
}

/// Stores the outputs of one element that the variant writes; returns its loss.
template <unsigned kOutputs, class T>
__device__ __forceinline__ float store_gaussian_nll_outputs(const GaussianNllKernelParams<T>& p, std::int64_t i,
                                                            const GaussianNllResult& r) {
  if constexpr ((kOutputs & kWritesGradMu) != 0) p.grad_mu[i] = from_float<T>(r.grad_mean * p.grad_multiplier);
  if constexpr ((kOutputs & kWritesGradVar) != 0) p.grad_var[i] = from_float<T>(r.grad_var * p.grad_multiplier);
  if constexpr ((kOutputs & kWritesElementLoss) != 0) p.elementwise_loss[i] = from_float<T>(r.loss);
  return r.loss;
}

// A full tile through 16-byte packs, kGaussianNllPacksPerStep packs of each
// input at a time: all loads of a step are issued before any math, so they
// are in flight together; a thread never holds more (registers).
template <unsigned kOutputs, class T>
__device__ __forceinline__ float gaussian_nll_full_tile_packed(const GaussianNllKernelParams<T>& p,
                                                               std::int64_t base, int thread) {
  constexpr int kPackElements = Pack16<T>::kElements;
  constexpr int kPacksPerThread = kGaussianNllTileElements / kPackElements / kGaussianNllBlockThreads;
  constexpr int kStep = kGaussianNllPacksPerStep;
  static_assert(kPacksPerThread % kStep == 0, "a tile is whole steps of every thread's packs");
  float sum = 0.0f;
  for (int first = 0; first < kPacksPerThread; first += kStep) {
    Pack16<T> mu[kStep];
    Pack16<T> y[kStep];
    Pack16<T> var[kStep];
LOSSBENCH_UNROLL
    for (int k = 0; k < kStep; ++k) {
      const std::int64_t offset =
          base + static_cast<std::int64_t>(thread + (first + k) * kGaussianNllBlockThreads) * kPackElements;
      mu[k] = *reinterpret_cast<const Pack16<T>*>(p.mu + offset);
      y[k] = *reinterpret_cast<const Pack16<T>*>(p.target + offset);
      var[k] = *reinterpret_cast<const Pack16<T>*>(p.var + offset);
    }
LOSSBENCH_UNROLL
    for (int k = 0; k < kStep; ++k) {
      const std::int64_t offset =
          base + static_cast<std::int64_t>(thread + (first + k) * kGaussianNllBlockThreads) * kPackElements;
      Pack16<T> grad_mu;
      Pack16<T> grad_var;
      Pack16<T> loss;
LOSSBENCH_UNROLL
      for (int j = 0; j < kPackElements; ++j) {
        const GaussianNllResult r =
            gaussian_nll(to_float(mu[k].v[j]), to_float(y[k].v[j]), to_float(var[k].v[j]), p.math);
        grad_mu.v[j] = from_float<T>(r.grad_mean * p.grad_multiplier);
        grad_var.v[j] = from_float<T>(r.grad_var * p.grad_multiplier);
        loss.v[j] = from_float<T>(r.loss);
        sum += r.loss;
      }
      if constexpr ((kOutputs & kWritesGradMu) != 0) *reinterpret_cast<Pack16<T>*>(p.grad_mu + offset) = grad_mu;
      if constexpr ((kOutputs & kWritesGradVar) != 0) *reinterpret_cast<Pack16<T>*>(p.grad_var + offset) = grad_var;
      if constexpr ((kOutputs & kWritesElementLoss) != 0) {
        *reinterpret_cast<Pack16<T>*>(p.elementwise_loss + offset) = loss;
      }
    }
  }
  return sum;
}

// Any tile, one element at a time: the last, partial tile, and every tile
// when a pointer is not 16-byte aligned.
template <unsigned kOutputs, class T>
__device__ __forceinline__ float gaussian_nll_tile_by_element(const GaussianNllKernelParams<T>& p,
                                                              std::int64_t base, std::int64_t count, int thread) {
  float sum = 0.0f;
  for (std::int64_t j = thread; j < count; j += kGaussianNllBlockThreads) {
    const std::int64_t i = base + j;
    const GaussianNllResult r = gaussian_nll(to_float(p.mu[i]), to_float(p.target[i]), to_float(p.var[i]), p.math);
    sum += store_gaussian_nll_outputs<kOutputs>(p, i, r);
  }
  return sum;
}

/// kOutputs: the kWrites*/kReducesLoss bits of the outputs p asks for.
template <unsigned kOutputs, class T>
__global__ void __launch_bounds__(kGaussianNllBlockThreads, kGaussianNllMinBlocksPerSm)
    gaussian_nll_kernel(GaussianNllKernelParams<T> p) {
  constexpr bool kReduce = (kOutputs & kReducesLoss) != 0;
  union SharedStorage {
    typename cub::BlockReduce<float, kGaussianNllBlockThreads>::TempStorage as_float;
    LastBlockSumStorage<kGaussianNllBlockThreads> as_double;
  };
  LOSSBENCH_SHARED(SharedStorage, temp);
  LOSSBENCH_SHARED(bool, is_last_block);

  const int thread = static_cast<int>(threadIdx.x);
  const std::int64_t num_tiles = gaussian_nll_tiles(p.n);
  for (std::int64_t tile = blockIdx.x; tile < num_tiles; tile += gridDim.x) {
    const std::int64_t base = tile * kGaussianNllTileElements;
    const std::int64_t count = p.n - base < kGaussianNllTileElements ? p.n - base : kGaussianNllTileElements;
    const float thread_sum = p.vectorized && count == kGaussianNllTileElements
                                 ? gaussian_nll_full_tile_packed<kOutputs>(p, base, thread)
                                 : gaussian_nll_tile_by_element<kOutputs>(p, base, count, thread);
    if constexpr (kReduce) {
      const float tile_sum = cub::BlockReduce<float, kGaussianNllBlockThreads>(temp.as_float).Sum(thread_sum);
      if (thread == 0) p.tile_partials[tile] = tile_sum;
      __syncthreads();  // temp is reused by the next tile's reduction
    }
  }
  if constexpr (kReduce) {
    double total = 0.0;
    if (sum_partials_in_last_block<kGaussianNllBlockThreads>(p.tile_partials, num_tiles, p.blocks_done,
                                                             temp.as_double, is_last_block, thread, total) &&
        thread == 0) {
      *p.reduced_loss = total * p.reduction_multiplier;
    }
  }
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
