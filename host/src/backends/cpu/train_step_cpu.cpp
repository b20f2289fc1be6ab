// The cpu backend of train_step(): the fused step on Highway vectors, threads
// over tiles of kCpuTrainTileRows rows (train_tiling_cpu.hpp).
//
// As on the GPU (train_step.cuh), one pass over X: each tile stages its rows
// as floats, computes their logits, losses and dZ, and then its partial dW
// and db from the same staged rows, while they are in cache. X is read once;
// Wᵀ (transposed once per step, so that the dot products run along d) is
// read from cache by every tile.
//
// Determinism: a tile's partials depend on the tile alone, and they are
// added in double in tile order: per element of dW and db, tile by tile, in
// rounds of tiles that bound the workspace (the rounds do not change the
// order); the tiles' losses likewise. No atomics: the same bits for every
// thread count and every run on one CPU. After the last round each sum is
// rounded once to float, written to dW and db, and the SGD step is taken as
// the kernels take it, w = fma(−η, g, w).
//
// Compiled once per Highway target (foreach_target.h includes this file
// again for each); HWY_DYNAMIC_DISPATCH picks the best the CPU runs.
#ifndef HWY_DISABLED_TARGETS
// Arrays of vectors (train_tile_simd.hpp) cannot be sizeless: not SVE or RVV.
#define HWY_DISABLED_TARGETS (HWY_SVE | HWY_SVE2 | HWY_SVE_256 | HWY_SVE2_128 | HWY_RVV)
#endif
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "backends/cpu/train_step_cpu.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "backends/cpu/cpu_backend.hpp"
#include "backends/cpu/parallel_tiles.hpp"
#include "backends/cpu/train_tile_simd.hpp"
#include "backends/cpu/train_tiling_cpu.hpp"
#include "train/train_call_checks.hpp"

#ifndef LOSSBENCH_TRAIN_STEP_CPU_CONSTANTS
#define LOSSBENCH_TRAIN_STEP_CPU_CONSTANTS
namespace lossbench::detail {
/// Elements of the partials (a multiple of kCpuRowPadFloats) that one task
/// adds over a round's tiles: 16 tasks at d = 784, k = 10 (for_each_tile
/// gives a thread at least 4).
inline constexpr std::int64_t kCpuSumChunk = 512;
/// Below this many partial elements a round's sums are added on the calling
/// thread: at batch 64 and 256 (d = 784, k = 10) waking the team cost more
/// than it saved (measured on 2 cores). Either way each element's sum takes
/// the tiles in order, so the choice does not change the bits.
inline constexpr std::int64_t kCpuThreadedSumElements = std::int64_t{1} << 18;

/// Everything the tiles of a step need, the same for every target.
struct CpuTrainStepWork {
  const TrainStepCall* call;
  const std::int32_t* indices;  // the batch's row indices (the cursor applied); null: rows [0, n)
  float grad_multiplier;        // 1/n, as the kernels round it
  float learning_rate;          // the step's η (> 0: update W and b)
  CpuTrainStepLayout layout;
  unsigned char* workspace;
};
}  // namespace lossbench::detail
#endif

HWY_BEFORE_NAMESPACE();
namespace lossbench::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class T>
HWY_INLINE T* At(const CpuTrainStepWork& w, std::size_t offset) {
  return reinterpret_cast<T*>(w.workspace + offset);
}

// Tile `tile` of the batch into partial slot `slot`; returns its loss sum.
template <Loss kLoss, class X>
double StepTile(const CpuTrainStepWork& w, std::int64_t tile, std::int64_t slot) {
  const TrainStepCall& call = *w.call;
  const CpuTrainStepLayout& l = w.layout;
  const std::int64_t row0 = tile * kCpuTrainTileRows;
  const int rows = static_cast<int>(std::min<std::int64_t>(kCpuTrainTileRows, call.n - row0));
  const int k = call.k;
  constexpr int kTileOutputs = kCpuTrainTileRows * kCpuMaxOutputs;
  float* xs = cpu_tile_scratch(static_cast<std::size_t>(kCpuTrainTileRows * l.padded_d + 2 * kTileOutputs));
  float* z = xs + kCpuTrainTileRows * l.padded_d;  // logits, then dZ
  float* y = z + kTileOutputs;
  StageRows(static_cast<const X*>(call.inputs), w.indices, row0, rows, call.d, l.padded_d, xs);
  for (int r = 0; r < rows; ++r) {
    const std::int64_t source = w.indices == nullptr ? row0 + r : static_cast<std::int64_t>(w.indices[row0 + r]);
    std::copy_n(call.targets + source * k, k, y + r * k);
  }
  TileLogits(xs, rows, l.padded_d, At<const float>(w, l.transposed_weights), call.bias, k, z);
  const double loss = TileLosses<kLoss, true>(z, y, rows, k, w.grad_multiplier);
  TileGradients(xs, rows, l.padded_d, z, k, At<float>(w, l.partials) + slot * l.partial_floats);
  return loss;
}

// sums[e] (+)= the round's `count` partials of element e, in tile order, for
// e in [begin, end); on the last round, rounds them and writes or applies them.
void AddRound(const CpuTrainStepWork& w, std::int64_t begin, std::int64_t end, std::int64_t count, bool first,
              bool last) {
  const CpuTrainStepLayout& l = w.layout;
  const TrainStepCall& call = *w.call;
  double* sums = At<double>(w, l.sums);
  const float* partials = At<const float>(w, l.partials);
  const hn::Repartition<double, TileTag> dd;
  const hn::Rebind<float, decltype(dd)> dh;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(dd));
  for (std::int64_t e = begin; e < end; e += lanes) {
    auto s = first ? hn::Zero(dd) : hn::LoadU(dd, sums + e);
    for (std::int64_t t = 0; t < count; ++t) {
      s = hn::Add(s, hn::PromoteTo(dd, hn::LoadU(dh, partials + t * l.partial_floats + e)));
    }
    hn::StoreU(s, dd, sums + e);
  }
  if (!last) return;
  // Row j of the sums is row j of dWᵀ (j < k), then db: each element's one rounding, then its outputs.
  const auto finish = [&](float* grad, float* parameter, std::int64_t sum, std::int64_t out) {
    const auto g = static_cast<float>(sums[sum]);
    if (grad != nullptr) grad[out] = g;
    if (w.learning_rate > 0.0f) parameter[out] = std::fma(-w.learning_rate, g, parameter[out]);
  };
  for (std::int64_t row_begin = begin / l.padded_d * l.padded_d; row_begin < end; row_begin += l.padded_d) {
    const std::int64_t j = row_begin / l.padded_d;
    const std::int64_t from = std::max(begin, row_begin) - row_begin;
    const std::int64_t to = std::min(end, row_begin + l.padded_d) - row_begin;
    if (j < call.k) {
      for (std::int64_t c = from; c < std::min<std::int64_t>(to, call.d); ++c) {
        finish(call.grad_weights, call.weights, row_begin + c, c * call.k + j);
      }
    } else {
      for (std::int64_t b = from; b < std::min<std::int64_t>(to, call.k); ++b) {
        finish(call.grad_bias, call.bias, row_begin + b, b);
      }
    }
  }
}

template <Loss kLoss, class X>
double RunStep(const CpuTrainStepWork& w) {
  const CpuTrainStepLayout& l = w.layout;
  const TrainStepCall& call = *w.call;
  float* transposed = At<float>(w, l.transposed_weights);
  TransposeWeights(call.weights, call.d, call.k, l.padded_d, transposed);
  double* tile_losses = At<double>(w, l.tile_losses);
  const std::int64_t chunks = (l.partial_floats + kCpuSumChunk - 1) / kCpuSumChunk;
  double loss = 0.0;
  for (std::int64_t first = 0; first < l.tiles; first += l.round_tiles) {
    const std::int64_t count = std::min(l.round_tiles, l.tiles - first);
    for_each_tile(count, [&](std::int64_t t) { tile_losses[t] = StepTile<kLoss, X>(w, first + t, t); });
    for (std::int64_t t = 0; t < count; ++t) loss += tile_losses[t];
    const bool last = first + count == l.tiles;
    const auto add_chunk = [&](std::int64_t chunk) {
      const std::int64_t begin = chunk * kCpuSumChunk;
      AddRound(w, begin, std::min(l.partial_floats, begin + kCpuSumChunk), count, first == 0, last);
    };
    if (count * l.partial_floats >= kCpuThreadedSumElements) {
      for_each_tile(chunks, add_chunk);
    } else {
      for (std::int64_t chunk = 0; chunk < chunks; ++chunk) add_chunk(chunk);
    }
  }
  return loss;
}

template <class X>
double TrainStepTilesOf(const CpuTrainStepWork& w) {
  switch (w.call->loss) {
    case Loss::mse: return RunStep<Loss::mse, X>(w);
    case Loss::bce: return RunStep<Loss::bce, X>(w);
    case Loss::softmax_ce: return RunStep<Loss::softmax_ce, X>(w);
  }
  return 0.0;  // unreachable: train_step() validated the loss
}

double TrainStepTiles(const CpuTrainStepWork& w) {
  return w.call->input_type == InputType::u8 ? TrainStepTilesOf<std::uint8_t>(w) : TrainStepTilesOf<float>(w);
}

}  // namespace lossbench::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lossbench::detail {

HWY_EXPORT(TrainStepTiles);

std::size_t train_step_cpu_workspace(std::int64_t n, int d, int k) { return cpu_train_step_layout(n, d, k).bytes; }

void train_step_cpu(const TrainStepCall& call, void* workspace, void*) {
  const std::uint32_t step = call.step == nullptr ? 0 : *call.step;
  const CpuTrainStepWork work{
      .call = &call,
      .indices = call.row_indices == nullptr ? nullptr
                                             : call.row_indices + static_cast<std::int64_t>(step) * call.step_rows,
      .grad_multiplier = static_cast<float>(gradient_multiplier(Reduction::mean, call.n, 1.0)),
      .learning_rate = step_learning_rate(call),
      .layout = cpu_train_step_layout(call.n, call.d, call.k),
      .workspace = static_cast<unsigned char*>(workspace),
  };
  const double loss = HWY_DYNAMIC_DISPATCH(TrainStepTiles)(work);
  call.loss_value[step] = loss * reduction_multiplier(Reduction::mean, call.n);
  if (call.step != nullptr) *call.step = step + 1;
}

}  // namespace lossbench::detail
#endif
