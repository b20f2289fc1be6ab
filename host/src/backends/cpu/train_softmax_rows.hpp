#pragma once
// The training step's softmax-ce on the cpu backend (train_step.hpp): each
// row's k ≤ 16 logits through kernels/loss/softmax_math.cuh's float32 row
// math, the kernels' own, as a soft-target row (the step's targets are any
// y ≥ 0: one-hot labels, or soft rows in the tests). Scalar: a tile's rows
// are 16 × k exponentials next to its 2 × 16 × d × k fmas of logits and
// gradients, which run on SIMD vectors (train_tile_simd.hpp).
//
// A row is one sequential pass of softmax_push, depth k: what the step's
// bound assumes (train_step_bounds.hpp). Rows in order, losses summed in
// double: the same bits for every thread count, as the tile's other sums.
#include <cstdint>

#include "kernels/loss/softmax_math.cuh"

namespace lossbench::detail {

/// Σ over the tile's rows of ℓ_i = −Σ_j y_ij log p_ij, in double. With
/// `gradients`, z (rows × k) is replaced by dℓ/dz · multiplier, the
/// gradient p_j·Σy − y_j rounded then scaled, as the kernels do.
inline double train_softmax_ce_rows(float* z, const float* y, int rows, int k, bool gradients, float multiplier) {
  namespace kn = kernels;
  double sum = 0.0;
  for (int r = 0; r < rows; ++r) {
    float* zr = z + static_cast<std::int64_t>(r) * k;
    const float* yr = y + static_cast<std::int64_t>(r) * k;
    kn::SoftmaxRowState state;
    for (int j = 0; j < k; ++j) state = kn::softmax_push(state, zr[j], yr[j]);
    const kn::LogSumExp lse = kn::softmax_lse(state);
    sum += kn::softmax_ce_soft_loss(state, lse);
    if (!gradients) continue;
    for (int j = 0; j < k; ++j) zr[j] = kn::softmax_soft_grad(lse, zr[j], yr[j], state.q_sum) * multiplier;
  }
  return sum;
}

}  // namespace lossbench::detail
