#pragma once
// The losses the training step's kernels (train_step.cuh, evaluate.cuh) are
// compiled for, and how many lanes of a warp a row's outputs take:
//   MseLoss, BceLoss (loss_math.cuh): per element, ℓ(z_ij, y_ij) and dℓ/dz_ij
//     from the one logit; a row's k outputs sit in K consecutive lanes.
//   SoftmaxCeRows: softmax cross-entropy over the row's outputs, ℓ_i =
//     −Σ_j y_ij log p_ij with p_i = softmax(z_i) and dℓ/dz_ij = p_ij·Σy − y_ij
//     (softmax_math.cuh's soft-target row: one definition of the math). Every
//     output needs the whole row, so the row's outputs sit in a group of
//     bit_ceil(K) lanes, which the group butterfly of softmax_small_rows.cuh
//     reduces (log2 of the group's width shuffle steps; every lane ends with
//     the same bits of the row's state, so no broadcast).
#include <bit>
#include <type_traits>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/loss/loss_math.cuh"
#include "kernels/loss/softmax_math.cuh"
#include "kernels/loss/softmax_small_rows.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// The training step's softmax cross-entropy (a tag: the math is softmax_math.cuh's).
struct SoftmaxCeRows {};

template <class Loss>
inline constexpr bool kRowLoss = std::is_same_v<Loss, SoftmaxCeRows>;

/// Lanes per row in the forward pass's evaluation, for output capacity K:
/// K for the elementwise losses; the power of two at or above K for a row
/// loss, so that the row's group is one butterfly (K ≤ 16: two rows fit a warp).
template <class Loss, int K>
inline constexpr int kTrainRowLanes = kRowLoss<Loss> ? static_cast<int>(std::bit_ceil(static_cast<unsigned>(K))) : K;

/// The row's softmax-ce loss (the same in every lane of the group) and this
/// lane's dℓ/dz_j, for a row held one output per lane by groups of kLanes
/// lanes. Every lane of the warp calls it; lanes with in_row false (padded
/// outputs, a missing row) add nothing to their group and get garbage.
template <int kLanes>
__device__ __forceinline__ LossAndGrad softmax_ce_row_output(float z, float y, bool in_row) {
  const SoftmaxRowState state = group_row_state<kLanes, /*kSoft=*/true, /*kKl=*/false, /*kEntropy=*/false>(z, y, in_row);
  const LogSumExp lse = softmax_lse(state);
  return {softmax_ce_soft_loss(state, lse), softmax_soft_grad(lse, z, y, state.q_sum)};
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
