// One tile of rows of the single-layer sigmoid model (train_step.hpp) on
// Highway vectors: the work the cpu backend's training step and evaluation
// share. Per tile of at most kCpuTrainTileRows rows:
//   StageRows        its rows of X as floats, zero-padded to padded_d
//                    (u8 pixels through kernels::input_value, vectorized);
//   TileLogits       z = x·W + b, each dot product vectorized along d against
//                    the rows of Wᵀ; two rows and up to four outputs at a
//                    time (eight accumulators: each load of Wᵀ serves both rows);
//   TileLosses       ℓ (summed in double, in element order) and, for the
//                    step, dℓ/dz scaled by 1/n in place of z (loss_math_simd.hpp;
//                    softmax-ce row by row, train_softmax_rows.hpp);
//   TileGradients    the tile's dWᵀ_jc = Σ_r x_rc·dz_rj and db_j = Σ_r dz_rj,
//                    float sums over its rows in row order, vectorized along
//                    c, up to four outputs × two vectors at a time.
// The float sums: a logit is ⌈d / lanes⌉ fmas per lane (lanes ≥ 4, see
// kLogitSplit), the lanes' sum and the bias; dW and db sum at most
// kCpuTrainTileRows terms.
//
// The register blocks are arrays of vectors, which the sizeless vectors of
// SVE and RVV cannot be: the files that include this one leave those
// targets out (NEON serves arm64).
//
// Included once per Highway target from inside the file foreach_target.h
// re-includes, hence the per-target guard.
#if defined(LOSSBENCH_TRAIN_TILE_SIMD_HPP) == defined(HWY_TARGET_TOGGLE)
#ifdef LOSSBENCH_TRAIN_TILE_SIMD_HPP
#undef LOSSBENCH_TRAIN_TILE_SIMD_HPP
#else
#define LOSSBENCH_TRAIN_TILE_SIMD_HPP
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "backends/cpu/loss_math_simd.hpp"
#include "backends/cpu/storage_simd.hpp"
#include "backends/cpu/train_softmax_rows.hpp"
#include "backends/cpu/train_tiling_cpu.hpp"
#include "hwy/cache_control.h"
#include "hwy/highway.h"
#include "kernels/train/train_inputs.cuh"
#include "lossbench/core/loss_kind.hpp"

HWY_BEFORE_NAMESPACE();
namespace lossbench::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using TileTag = hn::CappedTag<float, kCpuMaxFloatLanes>;
/// Accumulators per logit: one vector, or on a target narrower than
/// kCpuMinFloatLanes (HWY_SCALAR, the fallback g++ < 12.3 compiles in place of
/// EMU128) as many as make up kCpuMinFloatLanes lanes, so that no float sum
/// of a logit is longer than the bound (train_step_bounds.hpp) says.
inline constexpr int kLogitSplit =
    hn::MaxLanes(TileTag()) >= kCpuMinFloatLanes ? 1 : kCpuMinFloatLanes / static_cast<int>(hn::MaxLanes(TileTag()));
static_assert(kLogitSplit * hn::MaxLanes(TileTag()) >= kCpuMinFloatLanes &&
                  kLogitSplit * hn::MaxLanes(TileTag()) <= kCpuMaxFloatLanes,
              "train_tiling_cpu.hpp's lane counts (and the bound stated from them) do not cover this target");

/// The tile's rows of X as floats in xs (rows of padded_d, zeros past d).
/// Batch row i is X's row indices[i], or row i without indices.
template <class X>
HWY_INLINE void StageRows(const X* inputs, const std::int32_t* indices, std::int64_t row0, int rows, int d,
                          std::int64_t padded_d, float* xs) {
  const auto row_of = [&](int r) {
    return inputs + (indices == nullptr ? row0 + r : static_cast<std::int64_t>(indices[row0 + r])) * d;
  };
  // Shuffled rows are scattered over the data set, where the hardware
  // prefetcher cannot guess them: each row asks for the one two later while
  // it is converted (Fashion-MNIST at batch 64: 64 → 50 ms an epoch; four
  // later was no better).
  constexpr int kRowsAhead = 2;
  const auto bytes = static_cast<std::int64_t>(d) * static_cast<std::int64_t>(sizeof(X));
  for (int r = 0; r < rows; ++r) {
    if (indices != nullptr && r + kRowsAhead < rows) {
      const auto* ahead = reinterpret_cast<const char*>(row_of(r + kRowsAhead));
      for (std::int64_t b = 0; b < bytes; b += 64) hwy::Prefetch(ahead + b);
    }
    const X* row = row_of(r);
    float* out = xs + r * padded_d;
    if constexpr (sizeof(X) == sizeof(float)) {
      std::memcpy(out, row, static_cast<std::size_t>(d) * sizeof(float));
    } else {
      // kernels::input_value itself, vectorized by the compiler for this target.
#pragma omp simd
      for (int c = 0; c < d; ++c) out[c] = kernels::input_value(row[c]);
    }
    std::fill(out + d, out + padded_d, 0.0f);
  }
}

/// Logits of R rows (x, padded_d apart) for outputs j0 … j0 + G − 1.
template <int R, int G>
HWY_INLINE void LogitsBlock(const float* x, std::int64_t padded_d, const float* transposed_weights,
                            const float* bias, int j0, int k, float* logits) {
  const TileTag df;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(df));
  const float* wt = transposed_weights + j0 * padded_d;
  hn::Vec<TileTag> acc[kLogitSplit][R][G];
  HWY_UNROLL(16)
  for (int s = 0; s < kLogitSplit; ++s) {
    HWY_UNROLL(16)
    for (int r = 0; r < R; ++r) {
      HWY_UNROLL(16)
      for (int g = 0; g < G; ++g) acc[s][r][g] = hn::Zero(df);
    }
  }
  for (std::int64_t c0 = 0; c0 < padded_d; c0 += kLogitSplit * lanes) {
    HWY_UNROLL(16)
    for (int s = 0; s < kLogitSplit; ++s) {
      const std::int64_t c = c0 + s * lanes;
      hn::Vec<TileTag> xv[R];
      HWY_UNROLL(16)
      for (int r = 0; r < R; ++r) xv[r] = hn::LoadU(df, x + r * padded_d + c);
      HWY_UNROLL(16)
      for (int g = 0; g < G; ++g) {
        const auto w = hn::LoadU(df, wt + g * padded_d + c);
        HWY_UNROLL(16)
        for (int r = 0; r < R; ++r) acc[s][r][g] = hn::MulAdd(xv[r], w, acc[s][r][g]);
      }
    }
  }
  HWY_UNROLL(16)
  for (int r = 0; r < R; ++r) {
    HWY_UNROLL(16)
    for (int g = 0; g < G; ++g) {
      auto sum = acc[0][r][g];
      HWY_UNROLL(16)
      for (int s = 1; s < kLogitSplit; ++s) sum = hn::Add(sum, acc[s][r][g]);
      logits[r * k + j0 + g] = hn::GetLane(hn::SumOfLanes(df, sum)) + bias[j0 + g];
    }
  }
}

template <int R>
HWY_INLINE void LogitsOfRows(const float* x, std::int64_t padded_d, const float* transposed_weights,
                             const float* bias, int k, float* logits) {
  for (int j0 = 0; j0 < k; j0 += 4) {
    switch (std::min(4, k - j0)) {
      case 4: LogitsBlock<R, 4>(x, padded_d, transposed_weights, bias, j0, k, logits); break;
      case 3: LogitsBlock<R, 3>(x, padded_d, transposed_weights, bias, j0, k, logits); break;
      case 2: LogitsBlock<R, 2>(x, padded_d, transposed_weights, bias, j0, k, logits); break;
      default: LogitsBlock<R, 1>(x, padded_d, transposed_weights, bias, j0, k, logits); break;
    }
  }
}

/// logits[r·k + j] = z_rj for the tile's rows, staged in xs.
HWY_INLINE void TileLogits(const float* xs, int rows, std::int64_t padded_d, const float* transposed_weights,
                           const float* bias, int k, float* logits) {
  int r = 0;
  for (; r + 2 <= rows; r += 2) {
    LogitsOfRows<2>(xs + r * padded_d, padded_d, transposed_weights, bias, k, logits + r * k);
  }
  if (r < rows) LogitsOfRows<1>(xs + r * padded_d, padded_d, transposed_weights, bias, k, logits + r * k);
}

/// Σ ℓ(z, y) over `count` elements of an elementwise loss (mse, bce), in
/// double in element order. With kGradients, z is replaced by dℓ/dz ·
/// multiplier (rounded as the kernels do: the float gradient times the
/// float 1/n).
template <Loss kLoss, bool kGradients>
HWY_INLINE double TileElementLosses(float* z, const float* y, std::int64_t count, float multiplier) {
  const TileTag df;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(df));
  HWY_ALIGN float losses[hn::MaxLanes(df)];
  double sum = 0.0;
  for (std::int64_t i = 0; i < count; i += lanes) {
    const std::int64_t here = std::min(lanes, count - i);
    const auto zv = LoadFloats<float>(df, z + i, here);
    const auto yv = LoadFloats<float>(df, y + i, here);
    const LossVectors<TileTag> r = [&] {
      if constexpr (kLoss == Loss::mse) {
        return MseEval(df, zv, yv);
      } else {
        return BceEval(df, zv, yv, 1.0f);
      }
    }();
    if constexpr (kGradients) StoreFloats<float>(df, hn::Mul(r.grad, hn::Set(df, multiplier)), z + i, here);
    hn::Store(r.loss, df, losses);
    for (std::int64_t e = 0; e < here; ++e) sum += losses[e];
  }
  return sum;
}

/// The tile's loss, Σ_i ℓ_i over its `rows` rows of k logits z (rows × k),
/// and with kGradients dℓ/dz · multiplier in place of z: elementwise on
/// vectors, softmax-ce row by row (train_softmax_rows.hpp).
template <Loss kLoss, bool kGradients>
HWY_INLINE double TileLosses(float* z, const float* y, int rows, int k, float multiplier) {
  if constexpr (kLoss == Loss::softmax_ce) {
    return train_softmax_ce_rows(z, y, rows, k, kGradients, multiplier);
  } else {
    return TileElementLosses<kLoss, kGradients>(z, y, static_cast<std::int64_t>(rows) * k, multiplier);
  }
}

/// dWᵀ rows j0 … j0 + G − 1, columns c … c + 2·lanes − 1, of the tile.
template <int G>
HWY_INLINE void GradientBlock(const float* xs, int rows, std::int64_t padded_d, const float* dz, int k, int j0,
                              std::int64_t c, float* grad_transposed) {
  const TileTag df;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(df));
  hn::Vec<TileTag> acc[G][2];
  HWY_UNROLL(16)
  for (int g = 0; g < G; ++g) acc[g][0] = acc[g][1] = hn::Zero(df);
  for (int r = 0; r < rows; ++r) {
    const float* x = xs + r * padded_d + c;
    const auto x0 = hn::LoadU(df, x);
    const auto x1 = hn::LoadU(df, x + lanes);
    HWY_UNROLL(16)
    for (int g = 0; g < G; ++g) {
      const auto s = hn::Set(df, dz[r * k + j0 + g]);
      acc[g][0] = hn::MulAdd(x0, s, acc[g][0]);
      acc[g][1] = hn::MulAdd(x1, s, acc[g][1]);
    }
  }
  HWY_UNROLL(16)
  for (int g = 0; g < G; ++g) {
    float* out = grad_transposed + (j0 + g) * padded_d + c;
    hn::StoreU(acc[g][0], df, out);
    hn::StoreU(acc[g][1], df, out + lanes);
  }
}

/// The tile's partials: dWᵀ (k rows of padded_d) and then db (k), from the
/// staged rows and dz (rows × k).
HWY_INLINE void TileGradients(const float* xs, int rows, std::int64_t padded_d, const float* dz, int k,
                              float* partials) {
  const TileTag df;
  const auto step = static_cast<std::int64_t>(2 * hn::Lanes(df));
  for (std::int64_t c = 0; c < padded_d; c += step) {
    for (int j0 = 0; j0 < k; j0 += 4) {
      switch (std::min(4, k - j0)) {
        case 4: GradientBlock<4>(xs, rows, padded_d, dz, k, j0, c, partials); break;
        case 3: GradientBlock<3>(xs, rows, padded_d, dz, k, j0, c, partials); break;
        case 2: GradientBlock<2>(xs, rows, padded_d, dz, k, j0, c, partials); break;
        default: GradientBlock<1>(xs, rows, padded_d, dz, k, j0, c, partials); break;
      }
    }
  }
  float* db = partials + k * padded_d;
  for (int j = 0; j < k; ++j) {
    float sum = 0.0f;
    for (int r = 0; r < rows; ++r) sum += dz[r * k + j];
    db[j] = sum;
  }
}

/// Wᵀ (k rows of padded_d, zeros past d) of W (d × k). On one thread: at
/// d × k = 784 × 10 it costs about a microsecond, less than waking a team.
HWY_INLINE void TransposeWeights(const float* weights, int d, int k, std::int64_t padded_d,
                                 float* transposed_weights) {
  for (int c = 0; c < d; ++c) {
    const float* row = weights + static_cast<std::int64_t>(c) * k;
    for (int j = 0; j < k; ++j) transposed_weights[j * padded_d + c] = row[j];
  }
  for (int j = 0; j < k; ++j) {
    std::fill(transposed_weights + j * padded_d + d, transposed_weights + (j + 1) * padded_d, 0.0f);
  }
}

}  // namespace lossbench::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target guard
