#pragma once
// The fused training step of a single-layer sigmoid model: for a batch X
// (n × d, row-major), weights W (d × k) and bias b, one pass over X computes
// z = XW + b, the loss summed over outputs and averaged over the batch, and
// dL/dW = Xᵀ·dZ / n and dL/db, where dZ_ij = dℓ/dz_ij (see train_step.hpp).
//
// Why one pass suffices: the backward product Xᵀ·dZ needs row i of X only
// together with row i of dZ, which the forward pass has just computed from
// that same row. So each block stages a tile of rows of X in shared memory,
// computes their logits, losses and dZ, and accumulates their contribution
// to dW before the next tile replaces them: X is read from memory once.
//
// Layout: block b owns a contiguous range of rows (fixed by n alone, see
// train_step_partition) and walks it in tiles of kTrainTileRows rows.
//   forward:  warp w takes row w of the tile; lane l the columns c ≡ l (mod 32);
//             W is staged transposed in shared memory (w_t[j·d + c]) so that
//             the lanes read consecutive words; a butterfly of shuffles sums
//             the k partial dot products; lane j evaluates output j.
//   backward: thread t owns the columns c ≡ t (mod 256) of dW for the whole
//             block and accumulates x_ic·dz_ij in registers; threads j < k
//             accumulate db_j.
// Each block writes its dW, db and loss partials; the finalize kernel sums
// them over blocks in block order, in double. No atomics: the same bits on
// every run and, since the partition depends on n only, on every device.
//
// Bytes per row: read d·4 of X and k·4 of Y; per block, read W (d·k·4, from
// L2 after the first block) and write d·k·4 + k·4 + 8 of partials, which the
// finalize kernel reads once more. See docs/PERF.md.
#include <cstddef>
#include <cstdint>

#include "kernels/cuda_compat.cuh"
#include "kernels/loss_math.cuh"
#include "kernels/train_step_tiling.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

struct TrainStepParams {
  const float* inputs = nullptr;   // X: n × d
  const float* targets = nullptr;  // Y: n × k
  const float* weights = nullptr;  // W: d × k
  const float* bias = nullptr;     // b: k
  std::int64_t n = 0;
  int d = 0;
  int k = 0;
  std::int64_t rows_per_block = 0;  // multiple of kTrainTileRows
  float grad_multiplier = 1.0f;     // 1/n: dℓ/dz is scaled once, before any sum
  float* partials = nullptr;        // per block: d·k floats of dW, then k of db
  std::size_t floats_per_block = 0;
  double* loss_partials = nullptr;  // per block: Σ ℓ over its rows
  bool vectorized = false;          // X is 16-byte aligned: stage it with float4 loads
};

struct TrainStepFinalizeParams {
  const float* partials = nullptr;
  const double* loss_partials = nullptr;
  std::size_t floats_per_block = 0;
  int blocks = 0;
  int d = 0;
  int k = 0;
  double loss_multiplier = 1.0;  // 1/n
  float* grad_weights = nullptr;
  float* grad_bias = nullptr;
  double* loss_value = nullptr;
};

/// Copies `rows` rows of X from row `row0` into xs. Rows are contiguous, so
/// the tile is one run of rows·d floats; the blocks' first rows are multiples
/// of kTrainTileRows, so a 16-byte aligned X gives a 16-byte aligned tile.
/// All of a thread's loads are issued before its stores, to be in flight together.
__device__ __forceinline__ void stage_rows(const TrainStepParams& p, std::int64_t row0, int rows, float* xs,
                                           int thread) {
  const float* source = p.inputs + row0 * p.d;
  const int count = rows * p.d;
  int scalar_from = 0;
  if (p.vectorized) {
    // Four 16-byte loads in flight per thread (16 KiB per block), in rounds:
    // more would cost registers that the dW accumulators need (K = 16 spilled).
    constexpr int kPacksInFlight = 4;
    const int packs = count / 4;
    for (int first = 0; first < packs; first += kPacksInFlight * kTrainBlockThreads) {
      float4 staged[kPacksInFlight];
LOSSBENCH_UNROLL
      for (int m = 0; m < kPacksInFlight; ++m) {
        const int v = first + thread + m * kTrainBlockThreads;
        if (v < packs) staged[m] = reinterpret_cast<const float4*>(source)[v];
      }
LOSSBENCH_UNROLL
      for (int m = 0; m < kPacksInFlight; ++m) {
        const int v = first + thread + m * kTrainBlockThreads;
        if (v < packs) reinterpret_cast<float4*>(xs)[v] = staged[m];
      }
    }
    scalar_from = packs * 4;
  }
  for (int e = scalar_from + thread; e < count; e += kTrainBlockThreads) xs[e] = source[e];
}

/// Warp `warp` computes the logits of tile row `warp` and, on lane j < k, the
/// loss and the scaled dℓ/dz of output j; lanes k ≤ j < K write a zero dz so
/// that the padded outputs add nothing to dW.
template <class Loss, int K>
__device__ __forceinline__ void forward_row(const TrainStepParams& p, std::int64_t row, const float* x,
                                            const float* w_t, float bias, float* dz_row, int lane,
                                            double& loss_sum) {
  float z[K];
LOSSBENCH_UNROLL
  for (int j = 0; j < K; ++j) z[j] = 0.0f;
  for (int c = lane; c < p.d; c += 32) {
    const float xc = x[c];
LOSSBENCH_UNROLL
    for (int j = 0; j < K; ++j) z[j] = fmaf(xc, w_t[j * p.d + c], z[j]);
  }
  // Butterfly: every lane ends with every full sum, bit-identical across lanes.
LOSSBENCH_UNROLL
  for (int j = 0; j < K; ++j) {
LOSSBENCH_UNROLL
    for (int offset = 16; offset > 0; offset >>= 1) z[j] += __shfl_xor_sync(0xffffffffu, z[j], offset);
  }
  if (lane >= K) return;
  float z_lane = 0.0f;  // z[lane] without indexing a register array at run time
LOSSBENCH_UNROLL
  for (int j = 0; j < K; ++j) z_lane = j == lane ? z[j] : z_lane;
  if (lane >= p.k) {
    dz_row[lane] = 0.0f;
    return;
  }
  const float y = p.targets[row * p.k + lane];
  const LossAndGrad r = Loss::eval(z_lane + bias, y, LossParams{});
  loss_sum += r.loss;
  dz_row[lane] = r.grad * p.grad_multiplier;
}

template <class Loss, int K>
__global__ void __launch_bounds__(kTrainBlockThreads, 2) fused_train_step_kernel(TrainStepParams p) {
  LOSSBENCH_DYNAMIC_SHARED(float4, shared_packs);  // float4: 16-byte aligned for the staged tile
  float* xs = reinterpret_cast<float*>(shared_packs);  // kTrainTileRows × d
  float* w_t = xs + kTrainTileRows * p.d;              // K × d, rows j ≥ k zero
  float* dzs = w_t + K * p.d;                          // kTrainTileRows × K
  using BlockReduce = cub::BlockReduce<double, kTrainBlockThreads>;
  LOSSBENCH_SHARED(typename BlockReduce::TempStorage, reduce_storage);

  const int thread = static_cast<int>(threadIdx.x);
  const int warp = thread / 32;
  const int lane = thread % 32;
  for (int e = thread; e < K * p.d; e += kTrainBlockThreads) {
    const int j = e / p.d;
    const int c = e - j * p.d;
    w_t[e] = j < p.k ? p.weights[static_cast<std::int64_t>(c) * p.k + j] : 0.0f;
  }
  const float bias = lane < p.k ? p.bias[lane] : 0.0f;

  float dw[kTrainColumnsPerThread][K];
LOSSBENCH_UNROLL
  for (int m = 0; m < kTrainColumnsPerThread; ++m) {
LOSSBENCH_UNROLL
    for (int j = 0; j < K; ++j) dw[m][j] = 0.0f;
  }
  float db = 0.0f;
  double loss_sum = 0.0;

  const std::int64_t row_begin = static_cast<std::int64_t>(blockIdx.x) * p.rows_per_block;
  const std::int64_t row_end = p.n - row_begin < p.rows_per_block ? p.n : row_begin + p.rows_per_block;
  for (std::int64_t row0 = row_begin; row0 < row_end; row0 += kTrainTileRows) {
    const int rows = row_end - row0 < kTrainTileRows ? static_cast<int>(row_end - row0) : kTrainTileRows;
    stage_rows(p, row0, rows, xs, thread);
    __syncthreads();  // the tile (and, the first time, w_t) is in shared memory
    if (warp < rows) {
      forward_row<Loss, K>(p, row0 + warp, xs + warp * p.d, w_t, bias, dzs + warp * K, lane, loss_sum);
    }
    __syncthreads();  // dzs is complete
    for (int r = 0; r < rows; ++r) {
LOSSBENCH_UNROLL
      for (int m = 0; m < kTrainColumnsPerThread; ++m) {
        const int c = thread + m * kTrainBlockThreads;
        if (c < p.d) {
          const float xc = xs[r * p.d + c];
LOSSBENCH_UNROLL
          for (int j = 0; j < K; ++j) dw[m][j] = fmaf(xc, dzs[r * K + j], dw[m][j]);
        }
      }
      if (thread < p.k) db += dzs[r * K + thread];
    }
    __syncthreads();  // the next tile overwrites xs and dzs
  }

  float* out = p.partials + static_cast<std::size_t>(blockIdx.x) * p.floats_per_block;
LOSSBENCH_UNROLL
  for (int m = 0; m < kTrainColumnsPerThread; ++m) {
    const int c = thread + m * kTrainBlockThreads;
    if (c >= p.d) continue;
LOSSBENCH_UNROLL
    for (int j = 0; j < K; ++j) {
      if (j < p.k) out[c * p.k + j] = dw[m][j];
    }
  }
  if (thread < p.k) out[p.d * p.k + thread] = db;
  const double block_loss = BlockReduce(reduce_storage).Sum(loss_sum);
  if (thread == 0) p.loss_partials[blockIdx.x] = block_loss;
}

/// One thread per output value (d·k of dW, k of db, one for the loss) sums
/// its partials over the blocks in block order, in double, and rounds once.
__global__ void __launch_bounds__(kTrainBlockThreads) train_step_finalize_kernel(TrainStepFinalizeParams p) {
  const std::int64_t e = static_cast<std::int64_t>(blockIdx.x) * kTrainBlockThreads + threadIdx.x;
  const std::int64_t values = static_cast<std::int64_t>(p.d) * p.k + p.k;
  if (e < values) {
    double sum = 0.0;
    for (int b = 0; b < p.blocks; ++b) sum += p.partials[static_cast<std::size_t>(b) * p.floats_per_block + e];
    if (e < values - p.k) {
      p.grad_weights[e] = static_cast<float>(sum);
    } else {
      p.grad_bias[e - (values - p.k)] = static_cast<float>(sum);
    }
  } else if (e == values) {
    double sum = 0.0;
    for (int b = 0; b < p.blocks; ++b) sum += p.loss_partials[b];
    *p.loss_value = sum * p.loss_multiplier;
  }
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
