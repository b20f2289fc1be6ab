#pragma once
// The per-element loops of a softmax row on the cpu backend, on Highway
// vectors (softmax_row_simd.cpp): the row's conversions from and to its
// storage type, its state about its max, and its probabilities. The last two
// take the row as floats (the caller's scratch copy) and cost one vector
// exponential per element, where the scalar row math
// (kernels/loss/softmax_math.cuh) calls expf per element.
#include <cstdint>

#include "kernels/loss/softmax_math.cuh"
#include "lossbench/core/dtype.hpp"

namespace lossbench::detail {

/// `count` elements of `dtype` storage at src as floats into dst, and back,
/// rounding as the kernels do (storage_simd.hpp).
void storage_to_floats_simd(DType dtype, const void* src, std::int64_t count, float* dst);
void floats_to_storage_simd(DType dtype, const float* src, std::int64_t count, void* dst);

/// The state of a row of `classes` logits with no targets (hard labels):
/// m = max z, s = Σ e^{z_j − m}, gap = Σ (m − z_j), tilt = Σ e^{z_j − m}(m − z_j),
/// count = classes; with class weights w (V floats, else null) the weighted
/// sums of a smoothed row: count = Σ w_j, gap = Σ w_j (m − z_j) with
/// 0·inf = 0 (kernels::softmax_single_about). Each sum in 16 interleaved
/// lanes (a chain of ⌈V/16⌉ adds) then a tree of 4 levels, within
/// softmax_backend_depth (softmax_bounds.hpp). Returns false, leaving
/// `state` alone, for a row with a NaN or whose max is not finite (all −inf,
/// or +inf): the scalar row math gives those their NaNs and infinities.
bool softmax_hard_row_state_simd(const float* z, const float* w, std::int64_t classes,
                                 kernels::SoftmaxRowState& state);

/// p_j = e^{(z_j − m) − log s} (kernels::softmax_prob) for j < classes, into
/// p; 0 for z_j = −inf. The row's max must be finite and z free of NaN (as
/// softmax_hard_row_state_simd checks).
void softmax_probabilities_simd(const float* z, std::int64_t classes, const kernels::LogSumExp& lse, float* p);

}  // namespace lossbench::detail
