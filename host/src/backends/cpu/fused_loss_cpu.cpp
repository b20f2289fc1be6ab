// The cpu backend of fused_loss(): one pass over z and y per tile of
// kCpuTileElements, on Highway vectors, threads over tiles.
//
// Bytes per element as on the GPU (fused_loss.cuh): read z and y, write g
// (and ℓ for reduction none). The reduced loss: each tile sums its losses
// per lane in float over runs of kFloatRun vectors, then in double
// (tile_loss_sum_simd.hpp), and writes one double partial; the partials are
// added in tile order in double.
// The partial of a tile depends on the tile alone, so the result has the same
// bits for every thread count (and, on one CPU, every run).
//
// Compiled once per Highway target (foreach_target.h includes this file
// again for each); HWY_DYNAMIC_DISPATCH picks the best the CPU runs.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "backends/cpu/fused_loss_cpu.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include <cstdint>

#include "backends/cpu/cpu_backend.hpp"
#include "backends/cpu/loss_math_simd.hpp"
#include "backends/cpu/parallel_tiles.hpp"
#include "backends/cpu/storage_simd.hpp"
#include "backends/cpu/tile_loss_sum_simd.hpp"
#include "lossbench/core/broadcast.hpp"
#include "lossbench/core/loss_kind.hpp"

#ifndef LOSSBENCH_FUSED_LOSS_CPU_CONSTANTS
#define LOSSBENCH_FUSED_LOSS_CPU_CONSTANTS
namespace lossbench::detail {
/// 8192 elements: 96 KiB of z, y and g at f32, a share of L2 per tile, and
/// thousands of tiles at the sizes where threads pay.
inline constexpr std::int64_t kCpuTileElements = 8192;

/// Which formula of loss_math_simd.hpp a call evaluates.
enum class CpuFormula { sigmoid_mse, identity_mse, bce };

/// Everything a tile needs, the same for every target.
struct CpuLossArgs {
  const void* logits;
  const void* targets;
  void* grad;              // null: not written
  void* elementwise_loss;  // null: not written
  std::int64_t n;
  float grad_multiplier;
  float pos_weight;
  double* tile_partials;  // null: no reduction
  const void* weight;     // null: w = 1
  BroadcastLayout weight_layout;
  const void* pos_weights;  // null: the scalar pos_weight
  BroadcastLayout pos_weight_layout;
};
}  // namespace lossbench::detail
#endif

HWY_BEFORE_NAMESPACE();
namespace lossbench::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Elements i .. i + count of an operand read through a broadcast: a plain
// load when it has the input's shape, else gathered lane by lane.
template <class T>
HWY_INLINE hn::Vec<hn::ScalableTag<float>> LoadBroadcast(hn::ScalableTag<float> d, const void* data,
                                                         const BroadcastLayout& layout, std::int64_t i,
                                                         std::int64_t count) {
  const T* values = static_cast<const T*>(data);
  if (layout.same_shape()) return LoadFloats<T>(d, values + i, count);
  HWY_ALIGN T gathered[hn::MaxLanes(d)];
  for (std::int64_t j = 0; j < count; ++j) gathered[j] = values[broadcast_offset(layout, i + j)];
  return LoadFloats<T>(d, gathered, count);
}

template <CpuFormula kFormula, class T>
HWY_INLINE LossVectors<hn::ScalableTag<float>> EvalAt(hn::ScalableTag<float> d, const CpuLossArgs& args,
                                                      std::int64_t i, std::int64_t count) {
  const auto z = LoadFloats<T>(d, static_cast<const T*>(args.logits) + i, count);
  const auto y = LoadFloats<T>(d, static_cast<const T*>(args.targets) + i, count);
  auto r = [&] {
    if constexpr (kFormula == CpuFormula::sigmoid_mse) {
      return MseEval(d, z, y);
    } else if constexpr (kFormula == CpuFormula::identity_mse) {
      return IdentityMseEval(d, z, y);
    } else {
      if (args.pos_weights == nullptr) return BceEval(d, z, y, args.pos_weight);
      return BceEval(d, z, y, LoadBroadcast<T>(d, args.pos_weights, args.pos_weight_layout, i, count), false);
    }
  }();
  if (args.weight != nullptr) {
    const auto w = LoadBroadcast<T>(d, args.weight, args.weight_layout, i, count);
    r.loss = hn::Mul(r.loss, w);
    r.grad = hn::Mul(r.grad, w);
  }
  return r;
}

// Elements [begin, end) of one tile; returns their loss sum (0 without a
// reduction). count < lanes only for the call's last vector.
template <CpuFormula kFormula, class T>
double ProcessTile(const CpuLossArgs& args, std::int64_t begin, std::int64_t end) {
  const hn::ScalableTag<float> d;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
  const auto multiplier = hn::Set(d, args.grad_multiplier);
  auto float_sum = hn::Zero(d);
  double double_sum = 0.0;
  int run = 0;
  for (std::int64_t i = begin; i < end; i += lanes) {
    const std::int64_t count = end - i < lanes ? end - i : lanes;
    const auto r = EvalAt<kFormula, T>(d, args, i, count);
    if (args.grad != nullptr) StoreFloats<T>(d, hn::Mul(r.grad, multiplier), static_cast<T*>(args.grad) + i, count);
    if (args.elementwise_loss != nullptr) StoreFloats<T>(d, r.loss, static_cast<T*>(args.elementwise_loss) + i, count);
    if (args.tile_partials != nullptr) AddLosses(d, r.loss, count, float_sum, run, double_sum);
  }
  return FinishLossSum(d, float_sum, double_sum);
}

template <CpuFormula kFormula, class T>
void RunTiles(const CpuLossArgs& args) {
  const std::int64_t tiles = (args.n + kCpuTileElements - 1) / kCpuTileElements;
  for_each_tile(tiles, [&](std::int64_t t) {
    const std::int64_t begin = t * kCpuTileElements;
    const std::int64_t end = args.n - begin < kCpuTileElements ? args.n : begin + kCpuTileElements;
    const double sum = ProcessTile<kFormula, T>(args, begin, end);
    if (args.tile_partials != nullptr) args.tile_partials[t] = sum;
  });
}

template <class T>
void RunTilesOf(CpuFormula formula, const CpuLossArgs& args) {
  switch (formula) {
    case CpuFormula::sigmoid_mse: return RunTiles<CpuFormula::sigmoid_mse, T>(args);
    case CpuFormula::identity_mse: return RunTiles<CpuFormula::identity_mse, T>(args);
    case CpuFormula::bce: return RunTiles<CpuFormula::bce, T>(args);
  }
}

void FusedLossTiles(CpuFormula formula, DType dtype, const CpuLossArgs& args) {
  switch (dtype) {
    case DType::f32: return RunTilesOf<float>(formula, args);
    case DType::f16: return RunTilesOf<hwy::float16_t>(formula, args);
    case DType::bf16: return RunTilesOf<hwy::bfloat16_t>(formula, args);
  }
}

}  // namespace lossbench::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lossbench::detail {

HWY_EXPORT(FusedLossTiles);

std::size_t fused_loss_cpu_workspace(std::int64_t n, Reduction reduction) {
  if (reduction == Reduction::none || n <= 0) return 0;
  return static_cast<std::size_t>((n + kCpuTileElements - 1) / kCpuTileElements) * sizeof(double);
}

void fused_loss_cpu(const FusedLossCall& call, void* workspace, void*) {
  const bool reduce = call.reduction != Reduction::none;
  const CpuLossArgs args{
      .logits = call.logits,
      .targets = call.targets,
      .grad = call.grad,
      .elementwise_loss = call.elementwise_loss,
      .n = call.n,
      .grad_multiplier = static_cast<float>(gradient_multiplier(call.reduction, call.n, call.grad_scale)),
      .pos_weight = call.loss == Loss::bce ? call.pos_weight : 1.0f,
      .tile_partials = reduce ? static_cast<double*>(workspace) : nullptr,
      .weight = call.weight,
      .weight_layout = call.weight_layout,
      .pos_weights = call.pos_weights,
      .pos_weight_layout = call.pos_weight_layout,
  };
  const CpuFormula formula = call.loss == Loss::bce                  ? CpuFormula::bce
                             : call.activation == Activation::identity ? CpuFormula::identity_mse
                                                                       : CpuFormula::sigmoid_mse;
  HWY_DYNAMIC_DISPATCH(FusedLossTiles)(formula, call.dtype, args);
  if (!reduce) return;
  const std::int64_t tiles = (call.n + kCpuTileElements - 1) / kCpuTileElements;
  double sum = 0.0;
  for (std::int64_t t = 0; t < tiles; ++t) sum += args.tile_partials[t];
  *call.reduced_loss = sum * reduction_multiplier(call.reduction, call.n);
}

}  // namespace lossbench::detail
#endif
