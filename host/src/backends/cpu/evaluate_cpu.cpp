// The cpu backend of evaluate(): the training step's forward pass
// (train_tile_simd.hpp: the same tiles, staging and dot products, hence the
// same logits to the bit) with the logits kept for the argmax. Each tile
// writes its loss (a double sum) and its count of correct rows; they are
// added in tile order, so every thread count gives the same bits.
//
// Compiled once per Highway target (foreach_target.h includes this file
// again for each); HWY_DYNAMIC_DISPATCH picks the best the CPU runs.
#ifndef HWY_DISABLED_TARGETS
// Arrays of vectors (train_tile_simd.hpp) cannot be sizeless: not SVE or RVV.
#define HWY_DISABLED_TARGETS (HWY_SVE | HWY_SVE2 | HWY_SVE_256 | HWY_SVE2_128 | HWY_RVV)
#endif
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "backends/cpu/evaluate_cpu.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include <algorithm>
#include <cstdint>

#include "backends/cpu/cpu_backend.hpp"
#include "backends/cpu/parallel_tiles.hpp"
#include "backends/cpu/train_tile_simd.hpp"
#include "backends/cpu/train_tiling_cpu.hpp"

HWY_BEFORE_NAMESPACE();
namespace lossbench::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// The first index of the largest of k values (NaN never wins), as the kernel's first_argmax.
HWY_INLINE int FirstArgmax(const float* values, int k) {
  int best = 0;
  for (int j = 1; j < k; ++j) {
    if (values[j] > values[best]) best = j;
  }
  return best;
}

template <Loss kLoss, class X>
void EvaluateTiles(const EvaluateCall& call, const CpuEvaluateLayout& l, unsigned char* workspace) {
  auto* tile_sums = reinterpret_cast<double*>(workspace + l.tile_sums);
  auto* transposed = reinterpret_cast<float*>(workspace + l.transposed_weights);
  TransposeWeights(call.weights, call.d, call.k, l.padded_d, transposed);
  for_each_tile(l.tiles, [&](std::int64_t tile) {
    const std::int64_t row0 = tile * kCpuTrainTileRows;
    const int rows = static_cast<int>(std::min<std::int64_t>(kCpuTrainTileRows, call.n - row0));
    const int k = call.k;
    float* xs = cpu_tile_scratch(static_cast<std::size_t>(kCpuTrainTileRows * l.padded_d +
                                                          kCpuTrainTileRows * kCpuMaxOutputs));
    float* z = xs + kCpuTrainTileRows * l.padded_d;
    const float* y = call.targets + row0 * k;
    StageRows(static_cast<const X*>(call.inputs), nullptr, row0, rows, call.d, l.padded_d, xs);
    TileLogits(xs, rows, l.padded_d, transposed, call.bias, k, z);
    double correct = 0.0;
    for (int r = 0; r < rows; ++r) correct += FirstArgmax(z + r * k, k) == FirstArgmax(y + r * k, k) ? 1.0 : 0.0;
    tile_sums[2 * tile] = TileLosses<kLoss, false>(z, y, rows, k, 1.0f);
    tile_sums[2 * tile + 1] = correct;
  });
}

template <class X>
void EvaluateCpuOf(const EvaluateCall& call, const CpuEvaluateLayout& l, unsigned char* workspace) {
  switch (call.loss) {
    case Loss::mse: return EvaluateTiles<Loss::mse, X>(call, l, workspace);
    case Loss::bce: return EvaluateTiles<Loss::bce, X>(call, l, workspace);
    case Loss::softmax_ce: return EvaluateTiles<Loss::softmax_ce, X>(call, l, workspace);
  }
}

void EvaluateCpu(const EvaluateCall& call, const CpuEvaluateLayout& l, unsigned char* workspace) {
  if (call.input_type == InputType::u8) return EvaluateCpuOf<std::uint8_t>(call, l, workspace);
  EvaluateCpuOf<float>(call, l, workspace);
}

}  // namespace lossbench::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace lossbench::detail {

HWY_EXPORT(EvaluateCpu);

std::size_t evaluate_cpu_workspace(std::int64_t n, int d, int k) { return cpu_evaluate_layout(n, d, k).bytes; }

void evaluate_cpu(const EvaluateCall& call, void* workspace, void*) {
  const CpuEvaluateLayout l = cpu_evaluate_layout(call.n, call.d, call.k);
  HWY_DYNAMIC_DISPATCH(EvaluateCpu)(call, l, static_cast<unsigned char*>(workspace));
  const auto* tile_sums = reinterpret_cast<const double*>(static_cast<unsigned char*>(workspace) + l.tile_sums);
  double loss = 0.0;
  double correct = 0.0;
  for (std::int64_t t = 0; t < l.tiles; ++t) {
    loss += tile_sums[2 * t];
    correct += tile_sums[2 * t + 1];
  }
  *call.loss_value = loss * reduction_multiplier(Reduction::mean, call.n);
  *call.correct = correct;
}

}  // namespace lossbench::detail
#endif
