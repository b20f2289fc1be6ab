#pragma once
// The fused training step of a single-layer model: for a batch X (n × d,
// row-major), weights W (d × k) and bias b, one pass over X computes
// z = XW + b, the loss of each row (sigmoid + mse or bce summed over its
// outputs, or softmax-ce over them: train_losses.cuh) averaged over the
// batch, and dL/dW = Xᵀ·dZ / n and dL/db, where dZ_ij = dℓ_i/dz_ij (see
// train_step.hpp).
//
// Why one pass suffices: the backward product Xᵀ·dZ needs row i of X only
// together with row i of dZ, which the forward pass has just computed from
// that same row. So each block stages a tile of rows of X in shared memory,
// computes their logits, losses and dZ, and accumulates their contribution
// to dW before the next tile replaces them: X is read from memory once.
//
// Layout: block b owns a contiguous range of rows (fixed by n alone, see
// train_step_partition) and walks it in tiles of kTrainTileRows rows.
//   forward:  two warps take a pair of rows, each half of the 32-column
//             chunks; W is staged in shared memory with a padded row stride,
//             so that a lane reads its column's K weights as float4s free of
//             bank conflicts, and each load serves both rows. A warp reduce-scatter sums the 2·K partial
//             logits (lane l gets value l), the odd warp hands its half to
//             the even one through shared memory, and lane l of the even
//             warp evaluates output l mod K of row l / K of the pair (a
//             softmax row: output l mod G of row l / G, in a group of
//             G = bit_ceil(K) lanes that reduces the row by shuffles).
//   backward: thread t owns the columns c ≡ t (mod 256) of dW for the whole
//             block and accumulates x_ic·dz_ij in registers, reading each
//             row's dZ once as float4 broadcasts; threads j < k accumulate db_j.
// At k ≳ 8 instruction issue and shared-memory traffic per row, not DRAM,
// are predicted to bound the kernel: docs/PERF.md counts them.
// Each block writes its dW, db and loss partials; the finalize kernel sums
// them over blocks in block order, in double. No atomics: the same bits on
// every run and, since the partition depends on n only, on every device.
//
// Inputs: X holds float32 values or uint8 pixels (read as v/255, see
// train_inputs.cuh), staged into the float tile as they are loaded; the batch
// is either X's rows [0, n) or the rows a list of indices names (a shuffled
// epoch read in place, never gathered into a copy). A step may also apply
// SGD: the finalize kernel then updates W and b in place.
//
// Bytes per row: read d·sizeof(X) of X and k·4 of Y (and 4 of its index);
// per block, read W (d·k·4, from L2 after the first block) and write
// d·k·4 + k·4 + 8 of partials, which the finalize kernel reads once more.
// See docs/PERF.md.
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/loss/loss_math.cuh"
#include "kernels/train/train_inputs.cuh"
#include "kernels/train/train_losses.cuh"
#include "kernels/train/train_step_tiling.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

struct TrainStepParams {
  const void* inputs = nullptr;    // X: rows of d elements of the kernel's input type
  const float* targets = nullptr;  // Y: a row of k per row of X
  // The batch's rows: null, X's rows [0, n); else X's rows row_indices[i],
  // offset by *step · step_rows when step is set (see train_step.hpp).
  const std::int32_t* row_indices = nullptr;
  const std::uint32_t* step = nullptr;
  std::int64_t step_rows = 0;
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
  bool vectorized = false;          // X's rows can be staged in packs of 4 elements (see stage_rows)
  // With a table of η per step (and a cursor): block 0 copies learning_rates[*step]
  // to step_learning_rate for the finalize kernel, which advances the cursor
  // and so cannot read it in all its blocks.
  const float* learning_rates = nullptr;
  float* step_learning_rate = nullptr;
};

struct TrainStepFinalizeParams {
  const float* partials = nullptr;
  const double* loss_partials = nullptr;
  std::size_t floats_per_block = 0;
  int blocks = 0;
  int d = 0;
  int k = 0;
  double loss_multiplier = 1.0;  // 1/n
  float* grad_weights = nullptr;  // may be null when learning_rate > 0
  float* grad_bias = nullptr;
  float learning_rate = 0.0f;     // > 0: W −= η·dW and b −= η·db, in place
  const float* step_learning_rate = nullptr;  // non-null: η is *step_learning_rate instead (a table's)
  float* weights = nullptr;
  float* bias = nullptr;
  double* loss_value = nullptr;   // L goes to loss_value[*step] when step is set
  std::uint32_t* step = nullptr;  // advanced by one
};

/// Row i of the batch: its row of X and Y.
__device__ __forceinline__ std::int64_t batch_source_row(const std::int32_t* indices, std::int64_t i) {
  return indices == nullptr ? i : static_cast<std::int64_t>(indices[i]);
}

/// Copies the tile's `rows` rows of X (batch rows row0 …) into xs as floats.
/// Without indices and with float X, the tile is one contiguous run of
/// rows·d floats, copied as float4s when X is 16-byte aligned (the blocks'
/// first rows are multiples of kTrainTileRows, so the tile is too). Otherwise
/// row by row, in packs of 4 elements (a float4 of float X, a 32-bit word of
/// u8 pixels) when every row starts pack-aligned (`vectorized`: d % 4 == 0
/// and X aligned), element by element if not. A thread issues all its loads
/// of a round before its stores, to have them in flight together.
template <class X>
__device__ __forceinline__ void stage_rows(const TrainStepParams& p, const std::int32_t* indices, std::int64_t row0,
                                           int rows, float* xs, int thread) {
  const X* inputs = static_cast<const X*>(p.inputs);
  if constexpr (std::is_same_v<X, float>) {
    if (indices == nullptr) {
      const float* source = inputs + row0 * p.d;
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
      return;
    }
  }
  if (p.vectorized) {
    // 64 bytes of loads in flight per thread, whatever the input type.
    using Pack = typename InputPack<X>::type;
    constexpr int kPacksInFlight = 64 / static_cast<int>(sizeof(Pack));
    const int packs_per_row = p.d / 4;
    const int packs = rows * packs_per_row;
    for (int first = 0; first < packs; first += kPacksInFlight * kTrainBlockThreads) {
      Pack staged[kPacksInFlight] = {};  // zeroed: g++ cannot see that every read pack was loaded
LOSSBENCH_UNROLL
      for (int m = 0; m < kPacksInFlight; ++m) {
        const int v = first + thread + m * kTrainBlockThreads;
        if (v < packs) {
          const int r = v / packs_per_row;
          const std::int64_t source_row = batch_source_row(indices, row0 + r);
          const X* row = inputs + source_row * p.d;
          staged[m] = reinterpret_cast<const Pack*>(row)[v - r * packs_per_row];
        }
      }
LOSSBENCH_UNROLL
      for (int m = 0; m < kPacksInFlight; ++m) {
        const int v = first + thread + m * kTrainBlockThreads;
        // Pack v of the tile is floats 4v … 4v + 3 of xs: rows are d = 4·packs_per_row floats apart.
        if (v < packs) reinterpret_cast<float4*>(xs)[v] = InputPack<X>::to_float4(staged[m]);
      }
    }
    return;
  }
  const int count = rows * p.d;
  for (int e = thread; e < count; e += kTrainBlockThreads) {
    const int r = e / p.d;
    const X* row = inputs + batch_source_row(indices, row0 + r) * p.d;
    xs[e] = input_value(row[e - r * p.d]);
  }
}

/// One step of warp_reduce_scatter32 with lane distance kHalf, then the next.
/// kHalf is a template parameter so that every index into v is a constant and
/// v stays in registers (with a loop variable, nvcc put v in local memory).
template <int kHalf>
__device__ __forceinline__ void reduce_scatter_step(float (&v)[32], int lane) {
  const bool upper = (lane & kHalf) != 0;
LOSSBENCH_UNROLL
  for (int i = 0; i < kHalf; ++i) {
    const float send = upper ? v[i] : v[i + kHalf];
    const float keep = upper ? v[i + kHalf] : v[i];
    v[i] = keep + __shfl_xor_sync(0xffffffffu, send, kHalf);
  }
  if constexpr (kHalf > 1) reduce_scatter_step<kHalf / 2>(v, lane);
}

/// Sums v[i] over the 32 lanes of the warp and leaves lane l holding the sum
/// of v[l]: a reduce-scatter in five halving steps (31 shuffles in all, where
/// a butterfly over each of 32 values would take 160). At each step a lane
/// keeps the half of its values that its partner's bit selects and sends the
/// other half, so after the steps lane l's value has index Σ (l & step) = l.
/// A fixed tree: the same bits every run.
__device__ __forceinline__ float warp_reduce_scatter32(float (&v)[32], int lane) {
  reduce_scatter_step<16>(v, lane);
  return v[0];
}

/// Shared memory of the fused kernel, carved from one dynamic allocation
/// (sizes in floats; every part starts 16-byte aligned).
template <int K>
struct TrainStepShared {
  static constexpr int kDzStride = train_step_dz_stride(K);  // a row of dZ is read as float4s
  static constexpr int kWeightStride = train_step_weight_stride(K);
  float* dzs;            // kTrainTileRows × kDzStride: the tile's dℓ/dz (scaled), zero for j ≥ k
  float* pair_partials;  // kTrainRowPairs × 32: the odd warp's half of a row pair's logits
  float* xs;             // kTrainTileRows × d: the tile of X
  float* weights;        // d × kWeightStride: row c of W, outputs j ≥ k zero

  __device__ __forceinline__ TrainStepShared(float* base, int d)
      : dzs(base),
        pair_partials(dzs + kTrainTileRows * kDzStride),
        xs(pair_partials + kTrainRowPairs * 32),
        weights(xs + kTrainTileRows * d) {}
};

/// The loss and dZ of a row pair's outputs, in the even warp of the pair,
/// whose lane l holds value l = r·K + j of the reduce-scatter (the even
/// warp's half of logit j of row r). Elementwise losses: lane l < 2K owns
/// that output itself. A row loss (softmax-ce): lane L owns output
/// j = L mod G of row L / G, G = kTrainRowLanes (bit_ceil K), and fetches
/// its value from lane r·K + j; each group then reduces its row, and the
/// row's first lane adds the row's loss.
template <class Loss, int K, bool kStoreLogits>
__device__ __forceinline__ void pair_outputs(const TrainStepParams& p, const TrainStepShared<K>& s,
                                             const std::int32_t* indices, std::int64_t row0, int rows, int first_row,
                                             float logit, float bias_of_lane_output, int lane, double& loss_sum) {
  constexpr int kRowLanes = kTrainRowLanes<Loss, K>;
  const int pair = first_row / 2;
  const int r = first_row + lane / kRowLanes;
  const int j = lane % kRowLanes;
  const int value = (lane / kRowLanes) * K + j;  // this output's index in the reduce-scatter's layout
  const bool holds_output = lane < 2 * kRowLanes && j < K && r < rows;
  if constexpr (kRowLanes != K) logit = __shfl_sync(0xffffffffu, logit, holds_output ? value : lane);
  const bool in_row = holds_output && j < p.k;
  float z = 0.0f;
  float y = 0.0f;
  if (in_row) {
    z = logit + s.pair_partials[pair * 32 + value] + bias_of_lane_output;
    y = p.targets[batch_source_row(indices, row0 + r) * p.k + j];
  }
  LossAndGrad result{0.0f, 0.0f};
  if constexpr (kRowLoss<Loss>) {
    result = softmax_ce_row_output<kRowLanes>(z, y, in_row);  // every lane of the warp takes part
    if (j != 0) result.loss = 0.0f;                           // the row's loss, once
  } else if (in_row) {
    result = Loss::eval(z, y, LossParams{});
  }
  if (!holds_output) return;
  float* dz = s.dzs + r * TrainStepShared<K>::kDzStride;
  if (!in_row) {
    dz[j] = 0.0f;  // padded output: adds nothing to dW
    return;
  }
  loss_sum += result.loss;
  dz[j] = kStoreLogits ? z : result.grad * p.grad_multiplier;
}

/// Forward pass of one tile. Rows are taken in pairs, each pair by two warps
/// that split the columns between them (warp 2p + h takes the 32-column
/// chunks with index ≡ h mod 2): every load of Wᵀ from shared memory then
/// serves two rows, which halves the forward pass's dominant shared-memory
/// traffic. A lane accumulates the 2·K logits of its pair over its columns,
/// the warp reduce-scatters them (lane l ends with value l = r·K + j), and
/// the even warp adds the odd warp's half and evaluates the loss
/// (pair_outputs).
/// kStoreLogits (evaluation): the tile's logits z go where dZ would, and no
/// gradient is formed.
template <class Loss, int K, bool kStoreLogits = false>
__device__ __forceinline__ void forward_tile(const TrainStepParams& p, const TrainStepShared<K>& s,
                                             const std::int32_t* indices, std::int64_t row0, int rows,
                                             float bias_of_lane_output, int warp, int lane, double& loss_sum) {
  static_assert(2 * K <= 32, "a row pair's logits must fit one per lane");
  const int pair = warp / 2;
  const int chunk_parity = warp % 2;
  const int first_row = 2 * pair;
  float logit = 0.0f;
  if (first_row < rows) {  // warp-uniform
    const bool has_second = first_row + 1 < rows;
    const float* x0 = s.xs + first_row * p.d;
    const float* x1 = x0 + p.d;
    float v[32];
LOSSBENCH_UNROLL
    for (int i = 0; i < 32; ++i) v[i] = 0.0f;
    for (int c = 32 * chunk_parity + lane; c < p.d; c += 64) {
      const float a = x0[c];
      const float b = has_second ? x1[c] : 0.0f;
      // Row c of W as float4s: one address per column, K/4 loads (the
      // stride keeps the lanes' 16-byte loads free of bank conflicts).
      const float4* w_row = reinterpret_cast<const float4*>(s.weights + c * TrainStepShared<K>::kWeightStride);
LOSSBENCH_UNROLL
      for (int q = 0; q < (K + 3) / 4; ++q) {
        const float4 w4 = w_row[q];
        const float w[4] = {w4.x, w4.y, w4.z, w4.w};
LOSSBENCH_UNROLL
        for (int t = 0; t < 4; ++t) {
          const int j = 4 * q + t;
          if (j < K) {
            v[j] = fmaf(a, w[t], v[j]);
            v[K + j] = fmaf(b, w[t], v[K + j]);
          }
        }
      }
    }
    logit = warp_reduce_scatter32(v, lane);
    if (chunk_parity == 1) s.pair_partials[pair * 32 + lane] = logit;
  }
  __syncthreads();  // the odd warps' halves are in shared memory
  if (first_row >= rows || chunk_parity == 1) return;  // warp-uniform
  pair_outputs<Loss, K, kStoreLogits>(p, s, indices, row0, rows, first_row, logit, bias_of_lane_output, lane,
                                      loss_sum);
}

/// dZ[r][j] for the db accumulation of thread j < k (warp 0 only): a plain
/// load, rather than selecting from the registers, which would cost every
/// thread 2·K instructions per row.
template <int K>
__device__ __forceinline__ float dz_row_of_thread(const TrainStepShared<K>& s, int r, int j) {
  return s.dzs[r * TrainStepShared<K>::kDzStride + j];
}

/// Backward pass of one tile: thread t adds x_rc·dz_rj into its registers for
/// the columns c ≡ t (mod 256) it owns; a row's dZ is read once, as float4
/// broadcasts, and kept in registers across the thread's columns.
template <int K>
__device__ __forceinline__ void backward_tile(const TrainStepParams& p, const TrainStepShared<K>& s, int rows,
                                              int thread, float (&dw)[kTrainColumnsPerThread][K], float& db) {
  constexpr int kStride = TrainStepShared<K>::kDzStride;
  for (int r = 0; r < rows; ++r) {
    float dz[kStride];
LOSSBENCH_UNROLL
    for (int q = 0; q < kStride / 4; ++q) {
      const float4 four = reinterpret_cast<const float4*>(s.dzs + r * kStride)[q];
      dz[4 * q] = four.x;
      dz[4 * q + 1] = four.y;
      dz[4 * q + 2] = four.z;
      dz[4 * q + 3] = four.w;
    }
LOSSBENCH_UNROLL
    for (int m = 0; m < kTrainColumnsPerThread; ++m) {
      const int c = thread + m * kTrainBlockThreads;
      if (c < p.d) {
        const float xc = s.xs[r * p.d + c];
LOSSBENCH_UNROLL
        for (int j = 0; j < K; ++j) dw[m][j] = fmaf(xc, dz[j], dw[m][j]);
      }
    }
    if (thread < p.k) db += dz_row_of_thread(s, r, thread);
  }
}

/// Resident blocks per SM that the kernel is compiled for: two, so that one
/// block's loads overlap the other's compute, which caps registers at 128.
/// At K = 16 the 2·K logits and 4·K dW accumulators per thread do not fit
/// that cap (ptxas spilled 28 bytes on sm_90 and 44 on sm_75..sm_89, nvcc 13),
/// so K = 16 asks for one block per SM and gets up to 255 registers.
template <int K>
constexpr int train_step_min_blocks_per_sm() {
  return K >= 16 ? 1 : 2;
}

/// W (d × k in memory) into shared memory with the padded row stride, and
/// the bias of the output that lane `lane` of an even warp evaluates.
template <class Loss, int K>
__device__ __forceinline__ float stage_weights(const TrainStepParams& p, const TrainStepShared<K>& s, int thread,
                                               int lane) {
  // Consecutive threads copy consecutive words.
  for (int e = thread; e < K * p.d; e += kTrainBlockThreads) {
    const int c = e / K;
    const int j = e - c * K;
    s.weights[c * TrainStepShared<K>::kWeightStride + j] =
        j < p.k ? p.weights[static_cast<std::int64_t>(c) * p.k + j] : 0.0f;
  }
  // Lane l of an even warp evaluates output l mod (its row's lanes) (see pair_outputs).
  const int lane_output = lane % kTrainRowLanes<Loss, K>;
  return lane_output < p.k ? p.bias[lane_output] : 0.0f;
}

/// Calls visit(row0, rows) for each tile of this block's rows, in order: the
/// block owns rows [blockIdx.x · rows_per_block, …) of the batch (the
/// partition of train_step_partition), in tiles of kTrainTileRows, the last
/// of the batch possibly shorter.
template <class Visit>
__device__ __forceinline__ void for_each_tile_of_block(const TrainStepParams& p, Visit&& visit) {
  const std::int64_t row_begin = static_cast<std::int64_t>(blockIdx.x) * p.rows_per_block;
  const std::int64_t row_end = p.n - row_begin < p.rows_per_block ? p.n : row_begin + p.rows_per_block;
  for (std::int64_t row0 = row_begin; row0 < row_end; row0 += kTrainTileRows) {
    visit(row0, row_end - row0 < kTrainTileRows ? static_cast<int>(row_end - row0) : kTrainTileRows);
  }
}

/// The batch's row indices for this call: offset by the step cursor, which
/// only the finalize kernel (launched after this one) advances.
__device__ __forceinline__ const std::int32_t* batch_indices(const TrainStepParams& p) {
  if (p.row_indices == nullptr || p.step == nullptr) return p.row_indices;
  return p.row_indices + static_cast<std::int64_t>(*p.step) * p.step_rows;
}

template <class Loss, int K, class X>
__global__ void __launch_bounds__(kTrainBlockThreads, train_step_min_blocks_per_sm<K>())
    fused_train_step_kernel(TrainStepParams p) {
  LOSSBENCH_DYNAMIC_SHARED(float4, shared_packs);  // float4: 16-byte aligned
  const TrainStepShared<K> s(reinterpret_cast<float*>(shared_packs), p.d);
  using BlockReduce = cub::BlockReduce<double, kTrainBlockThreads>;
  LOSSBENCH_SHARED(typename BlockReduce::TempStorage, reduce_storage);

  const int thread = static_cast<int>(threadIdx.x);
  const int warp = thread / 32;
  const int lane = thread % 32;
  const float bias = stage_weights<Loss, K>(p, s, thread, lane);
  const std::int32_t* indices = batch_indices(p);
  if (p.learning_rates != nullptr && blockIdx.x == 0 && thread == 0) *p.step_learning_rate = p.learning_rates[*p.step];

  float dw[kTrainColumnsPerThread][K];
LOSSBENCH_UNROLL
  for (int m = 0; m < kTrainColumnsPerThread; ++m) {
LOSSBENCH_UNROLL
    for (int j = 0; j < K; ++j) dw[m][j] = 0.0f;
  }
  float db = 0.0f;
  double loss_sum = 0.0;

  for_each_tile_of_block(p, [&](std::int64_t row0, int rows) {
    stage_rows<X>(p, indices, row0, rows, s.xs, thread);
    __syncthreads();  // the tile (and, the first time, W) is in shared memory
    forward_tile<Loss, K>(p, s, indices, row0, rows, bias, warp, lane, loss_sum);
    __syncthreads();  // dzs is complete
    backward_tile<K>(p, s, rows, thread, dw, db);
    __syncthreads();  // the next tile overwrites xs and dzs
  });

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
/// With a learning rate (or the table's, copied by the step kernel) it then
/// takes the SGD step on its parameter, w ← fma(−η, g, w): one rounding, the
/// same on every backend. The loss's
/// thread writes L to its step's slot and advances the cursor; nothing else
/// of this launch reads the cursor, and the next step's kernel is ordered after it.
__global__ void __launch_bounds__(kTrainBlockThreads) train_step_finalize_kernel(TrainStepFinalizeParams p) {
  const std::int64_t e = static_cast<std::int64_t>(blockIdx.x) * kTrainBlockThreads + threadIdx.x;
  const std::int64_t weights = static_cast<std::int64_t>(p.d) * p.k;
  const std::int64_t values = weights + p.k;
  if (e < values) {
    double sum = 0.0;
    for (int b = 0; b < p.blocks; ++b) sum += p.partials[static_cast<std::size_t>(b) * p.floats_per_block + e];
    const float g = static_cast<float>(sum);
    const bool is_weight = e < weights;
    float* grad = is_weight ? p.grad_weights : p.grad_bias;
    const std::int64_t i = is_weight ? e : e - weights;
    if (grad != nullptr) grad[i] = g;
    const float eta = p.step_learning_rate != nullptr ? *p.step_learning_rate : p.learning_rate;
    if (eta > 0.0f) {
      float* parameter = (is_weight ? p.weights : p.bias) + i;
      *parameter = fmaf(-eta, g, *parameter);
    }
  } else if (e == values) {
    double sum = 0.0;
    for (int b = 0; b < p.blocks; ++b) sum += p.loss_partials[b];
    const std::uint32_t slot = p.step == nullptr ? 0u : *p.step;
    p.loss_value[slot] = sum * p.loss_multiplier;
    if (p.step != nullptr) *p.step = slot + 1;
  }
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
