// The cpu backend of gaussian_nll(): one pass over μ, y and var per tile of
// kCpuGaussianNllTileElements, on Highway vectors (gaussian_nll_math_simd.hpp),
// threads over tiles (parallel_tiles.hpp).
//
// Bytes per element as on the GPU (gaussian_nll.cuh): read μ, y, var; write
// grad_mu and grad_var (each optional; in place allowed, a vector is stored
// only after it was loaded) and ℓ for reduction none. The reduced loss: each
// tile sums its losses (tile_loss_sum_simd.hpp) into one double partial; the
// partials are added in tile order in double. A tile's partial depends on the
// tile alone, so the result has the same bits for every thread count.
//
// Compiled once per Highway target (foreach_target.h includes this file
// again for each); HWY_DYNAMIC_DISPATCH picks the best the CPU runs.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "backends/cpu/gaussian_nll_cpu.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include <cstdint>

#include "backends/cpu/cpu_backend.hpp"
#include "backends/cpu/gaussian_nll_math_simd.hpp"
#include "backends/cpu/parallel_tiles.hpp"
#include "backends/cpu/storage_simd.hpp"
#include "backends/cpu/tile_loss_sum_simd.hpp"
#include "kernels/loss/gaussian_nll_math.cuh"
#include "lossbench/core/loss_kind.hpp"

#ifndef LOSSBENCH_GAUSSIAN_NLL_CPU_CONSTANTS
#define LOSSBENCH_GAUSSIAN_NLL_CPU_CONSTANTS
namespace lossbench::detail {
/// 8192 elements: 160 KiB of μ, y, var and both gradients at f32, a share of
/// L2 per tile, as the fused loss's tile (96 KiB) is.
inline constexpr std::int64_t kCpuGaussianNllTileElements = 8192;

constexpr std::int64_t cpu_gaussian_nll_tiles(std::int64_t n) {
  return n <= 0 ? 0 : (n + kCpuGaussianNllTileElements - 1) / kCpuGaussianNllTileElements;
}

/// Everything a tile needs, the same for every target.
struct CpuGaussianNllArgs {
  const void* mu;
  const void* target;
  const void* var;
  void* grad_mu;           // null: not written
  void* grad_var;          // null: not written
  void* elementwise_loss;  // null: not written
  std::int64_t n;
  float grad_multiplier;
  kernels::GaussianNllParams math;
  double* tile_partials;  // null: no reduction
};
}  // namespace lossbench::detail
#endif

HWY_BEFORE_NAMESPACE();
namespace lossbench::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Elements [begin, end) of one tile; returns their loss sum (0 without a
// reduction). count < lanes only for the call's last vector.
template <class T>
double GaussianNllTile(const CpuGaussianNllArgs& args, std::int64_t begin, std::int64_t end) {
  const hn::ScalableTag<float> d;
  const auto lanes = static_cast<std::int64_t>(hn::Lanes(d));
  const auto multiplier = hn::Set(d, args.grad_multiplier);
  auto float_sum = hn::Zero(d);
  int run = 0;
  double double_sum = 0.0;
  for (std::int64_t i = begin; i < end; i += lanes) {
    const std::int64_t count = end - i < lanes ? end - i : lanes;
    const auto mu = LoadFloats<T>(d, static_cast<const T*>(args.mu) + i, count);
    const auto y = LoadFloats<T>(d, static_cast<const T*>(args.target) + i, count);
    const auto var = LoadFloats<T>(d, static_cast<const T*>(args.var) + i, count);
    const GaussianNllVectors<hn::ScalableTag<float>> r = GaussianNllEval(d, mu, y, var, args.math);
    if (args.grad_mu != nullptr) {
      StoreFloats<T>(d, hn::Mul(r.grad_mean, multiplier), static_cast<T*>(args.grad_mu) + i, count);
    }
    if (args.grad_var != nullptr) {
      StoreFloats<T>(d, hn::Mul(r.grad_var, multiplier), static_cast<T*>(args.grad_var) + i, count);
    }
    if (args.elementwise_loss != nullptr) StoreFloats<T>(d, r.loss, static_cast<T*>(args.elementwise_loss) + i, count);
    if (args.tile_partials != nullptr) AddLosses(d, r.loss, count, float_sum, run, double_sum);
  }
  return FinishLossSum(d, float_sum, double_sum);
}

template <class T>
void RunGaussianNllTiles(const CpuGaussianNllArgs& args) {
  for_each_tile(cpu_gaussian_nll_tiles(args.n), [&](std::int64_t t) {
    const std::int64_t begin = t * kCpuGaussianNllTileElements;
    const std::int64_t end = args.n - begin < kCpuGaussianNllTileElements ? args.n : begin + kCpuGaussianNllTileElements;
    const double sum = GaussianNllTile<T>(args, begin, end);
    if (args.tile_partials != nullptr) args.tile_partials[t] = sum;
  });
}

void GaussianNllTiles(DType dtype, const CpuGaussianNllArgs& args) {
  switch (dtype) {
    case DType::f32: return RunGaussianNllTiles<float>(args);
    case DType::f16: return RunGaussianNllTiles<hwy::float16_t>(args);
    case DType::bf16: return RunGaussianNllTiles<hwy::bfloat16_t>(args);
  }
}

}  // namespace lossbench::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lossbench::detail {

HWY_EXPORT(GaussianNllTiles);

std::size_t gaussian_nll_cpu_workspace(std::int64_t n, Reduction reduction) {
  if (reduction == Reduction::none) return 0;
  return static_cast<std::size_t>(cpu_gaussian_nll_tiles(n)) * sizeof(double);
}

void gaussian_nll_cpu(const GaussianNllCall& call, void* workspace, void*) {
  const bool reduce = call.reduction != Reduction::none;
  const CpuGaussianNllArgs args{
      .mu = call.mu,
      .target = call.target,
      .var = call.var,
      .grad_mu = call.grad_mu,
      .grad_var = call.grad_var,
      .elementwise_loss = call.elementwise_loss,
      .n = call.n,
      // One rounding of grad_scale/n (computed in double) per call, as the kernel's.
      .grad_multiplier = static_cast<float>(gradient_multiplier(call.reduction, call.n, call.grad_scale)),
      .math = {call.eps, call.full},
      .tile_partials = reduce ? static_cast<double*>(workspace) : nullptr,
  };
  HWY_DYNAMIC_DISPATCH(GaussianNllTiles)(call.dtype, args);
  if (!reduce) return;
  double sum = 0.0;
  for (std::int64_t t = 0; t < cpu_gaussian_nll_tiles(call.n); ++t) sum += args.tile_partials[t];
  *call.reduced_loss = sum * reduction_multiplier(call.reduction, call.n);
}

}  // namespace lossbench::detail
#endif
