#pragma once
// The unfused softmax cross-entropy baseline: what PyTorch eager runs for
// F.cross_entropy(z, t) (class indices, mean over the rows not ignored) and
// its backward, one kernel per step with log p in memory between them:
//   log p = z − max − log Σ exp(z − max)   log_softmax_rows_kernel   read z, write log p
//   ℓ_i = −log p_{i,t_i} (0 if ignored)    nll_gather_kernel         read t, log p[t], write ℓ (float)
//   count = #{i : t_i ≠ ignore_index}      softmax_count_rows_kernel read t
//   C = Σ ℓ_i / count                      cub::DeviceReduce::Sum, then nll_mean_kernel
//   g = (exp(log p) − onehot(t))·s/count   nll_softmax_backward_kernel read t, log p, write g
// A generous baseline: the backward is one kernel, where PyTorch runs
// nll_loss_backward (writing a dense one-hot gradient) and then
// log_softmax_backward. ℓ and its sum are float32, as PyTorch accumulates.
//
// Rows are handled by a team of threads: a warp for rows up to
// kSoftmaxUnfusedWarpRowMaxClasses (PyTorch's warp-per-row softmax goes to
// 1024), the whole block beyond; consecutive threads read consecutive
// classes, so every load is coalesced. log_softmax reads its row twice (the
// online max and sum, then the write), as PyTorch's does for long rows; the
// second read is of data the team has just read.
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/common/element_types.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

inline constexpr int kSoftmaxUnfusedBlockThreads = 256;
inline constexpr std::int64_t kSoftmaxUnfusedWarpRowMaxClasses = 1024;

/// A running max m and Σ exp(z − m) over part of a row.
struct MaxAndSum {
  float max;
  float sum;
};

__host__ __device__ __forceinline__ MaxAndSum combine(MaxAndSum a, MaxAndSum b) {
  const float m = fmaxf(a.max, b.max);
  // A part with nothing in it (sum 0, max −inf) must not give −inf − −inf.
  const float sa = a.sum == 0.0f ? 0.0f : a.sum * expf(a.max - m);
  const float sb = b.sum == 0.0f ? 0.0f : b.sum * expf(b.max - m);
  return {m, sa + sb};
}

/// The combined MaxAndSum of a team of kTeam threads (32 or the block's
/// 256), in every thread of it. `shared` holds one entry per warp.
template <int kTeam>
__device__ __forceinline__ MaxAndSum team_combine(MaxAndSum mine, MaxAndSum* shared) {
  for (int lanes = 16; lanes >= 1; lanes /= 2) {
    const MaxAndSum other{__shfl_xor_sync(0xffffffffu, mine.max, lanes), __shfl_xor_sync(0xffffffffu, mine.sum, lanes)};
    mine = combine(mine, other);
  }
  if constexpr (kTeam == 32) {
    return mine;
  } else {
    const int warp = static_cast<int>(threadIdx.x) / 32;
    if (threadIdx.x % 32 == 0) shared[warp] = mine;
    __syncthreads();
    MaxAndSum total = shared[0];
    for (int w = 1; w < kTeam / 32; ++w) total = combine(total, shared[w]);
    __syncthreads();  // shared is reused by the next row
    return total;
  }
}

/// The team a thread belongs to and its rank in it, for kTeam-thread teams in a block.
template <int kTeam>
struct RowTeam {
  static constexpr int kRowsPerBlock = kSoftmaxUnfusedBlockThreads / kTeam;
  int rank = static_cast<int>(threadIdx.x) % kTeam;
  std::int64_t first_row = std::int64_t{blockIdx.x} * kRowsPerBlock + static_cast<int>(threadIdx.x) / kTeam;
  std::int64_t row_stride = std::int64_t{gridDim.x} * kRowsPerBlock;
};

/// (a) log p = log_softmax(z), row by row. A team is a whole warp or the
/// whole block, so the loop's trip count is uniform across the shuffles and
/// the barriers of team_combine.
template <int kTeam, class T>
__global__ void __launch_bounds__(kSoftmaxUnfusedBlockThreads)
    log_softmax_rows_kernel(const T* __restrict__ z, T* __restrict__ log_p, std::int64_t rows, std::int64_t classes) {
  LOSSBENCH_SHARED_ARRAY(MaxAndSum, shared, kSoftmaxUnfusedBlockThreads / 32);
  const RowTeam<kTeam> team;
  for (std::int64_t row = team.first_row; row < rows; row += team.row_stride) {
    const T* in = z + row * classes;
    MaxAndSum mine{-INFINITY, 0.0f};
    for (std::int64_t j = team.rank; j < classes; j += kTeam) mine = combine(mine, {to_float(in[j]), 1.0f});
    const MaxAndSum all = team_combine<kTeam>(mine, shared);
    const float shift = all.max + logf(all.sum);
    T* out = log_p + row * classes;
    for (std::int64_t j = team.rank; j < classes; j += kTeam) out[j] = from_float<T>(to_float(in[j]) - shift);
  }
}

/// (b) ℓ_i = −log p_{i,t_i}, 0 for an ignored row; one thread per row.
template <class T, class Label>
__global__ void nll_gather_kernel(const T* __restrict__ log_p, const Label* __restrict__ labels,
                                  float* __restrict__ row_loss, std::int64_t rows, std::int64_t classes,
                                  std::int64_t ignore_index) {
  const std::int64_t stride = std::int64_t{gridDim.x} * blockDim.x;
  for (std::int64_t row = std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x; row < rows; row += stride) {
    const auto label = static_cast<std::int64_t>(labels[row]);
    row_loss[row] = label == ignore_index ? 0.0f : -to_float(log_p[row * classes + label]);
  }
}

/// (c) C = Σ ℓ / count (NaN when every row is ignored, as PyTorch), and the
/// backward's multiplier grad_scale / count (0 then). Resets the count for the next call.
__global__ void nll_mean_kernel(const float* loss_sum, unsigned long long* counted, double* reduced_loss,
                                float* grad_multiplier, float grad_scale) {
  const auto count = static_cast<double>(*counted);
  *reduced_loss = static_cast<double>(*loss_sum) / count;
  *grad_multiplier = count > 0 ? static_cast<float>(static_cast<double>(grad_scale) / count) : 0.0f;
  *counted = 0;
}

/// (d) g = (exp(log p) − onehot(t))·multiplier, 0 for an ignored row; a team per row.
template <int kTeam, class T, class Label>
__global__ void __launch_bounds__(kSoftmaxUnfusedBlockThreads)
    nll_softmax_backward_kernel(const T* __restrict__ log_p, const Label* __restrict__ labels,
                                const float* __restrict__ grad_multiplier, T* __restrict__ grad, std::int64_t rows,
                                std::int64_t classes, std::int64_t ignore_index) {
  const RowTeam<kTeam> team;
  const float multiplier = *grad_multiplier;
  for (std::int64_t row = team.first_row; row < rows; row += team.row_stride) {
    const auto label = static_cast<std::int64_t>(labels[row]);
    const float scale = label == ignore_index ? 0.0f : multiplier;
    const T* in = log_p + row * classes;
    T* out = grad + row * classes;
    for (std::int64_t j = team.rank; j < classes; j += kTeam) {
      out[j] = from_float<T>((expf(to_float(in[j])) - (j == label ? 1.0f : 0.0f)) * scale);
    }
  }
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
