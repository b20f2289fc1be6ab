#pragma once
// Evaluation of the single-layer model on a data set, forward only: the
// mean loss L = (1/n) Σ_i ℓ_i (the step's row loss) and the number of rows whose
// predicted class, the argmax of z_i, is their class, the argmax of y_i
// (the label, for one-hot targets); the lowest index wins a tie, as in
// predicted_class (sigmoid_model.hpp).
//
// It is the training step's forward pass (train_step.cuh: the same tiles,
// staging, partition and dot products, hence the same logits to the bit)
// with the logits kept in shared memory for the argmax instead of dZ. Each
// block writes its loss and count; the finalize kernel adds them in block
// order. Bytes: X once and Y once, as the step; nothing per row is written.
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/train/train_step.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// Per block: the loss partial goes to step.loss_partials, the count to correct_partials.
struct EvaluateParams {
  TrainStepParams step;  // inputs, targets, weights, bias, n, d, k, rows_per_block, vectorized
  double* correct_partials = nullptr;
};

struct EvaluateFinalizeParams {
  const double* loss_partials = nullptr;
  const double* correct_partials = nullptr;
  int blocks = 0;
  double loss_multiplier = 1.0;  // 1/n
  double* loss_value = nullptr;
  double* correct = nullptr;  // a count, exact in double up to 2^53
};

/// The first index of the largest of k values (NaN never wins, as in a
/// scan with `>`).
__device__ __forceinline__ int first_argmax(const float* values, int k) {
  int best = 0;
  for (int j = 1; j < k; ++j) {
    if (values[j] > values[best]) best = j;
  }
  return best;
}

template <class Loss, int K, class X>
__global__ void __launch_bounds__(kTrainBlockThreads, train_step_min_blocks_per_sm<K>())
    evaluate_kernel(EvaluateParams e) {
  const TrainStepParams& p = e.step;
  LOSSBENCH_DYNAMIC_SHARED(float4, shared_packs);
  const TrainStepShared<K> s(reinterpret_cast<float*>(shared_packs), p.d);
  using BlockReduce = cub::BlockReduce<double, kTrainBlockThreads>;
  LOSSBENCH_SHARED(typename BlockReduce::TempStorage, reduce_storage);

  const int thread = static_cast<int>(threadIdx.x);
  const int warp = thread / 32;
  const int lane = thread % 32;
  const float bias = stage_weights<Loss, K>(p, s, thread, lane);
  double loss_sum = 0.0;
  double correct = 0.0;

  for_each_tile_of_block(p, [&](std::int64_t row0, int rows) {
    stage_rows<X>(p, nullptr, row0, rows, s.xs, thread);
    __syncthreads();  // the tile (and, the first time, W) is in shared memory
    forward_tile<Loss, K, true>(p, s, nullptr, row0, rows, bias, warp, lane, loss_sum);
    __syncthreads();  // the tile's logits are in s.dzs
    if (thread < rows) {
      const int predicted = first_argmax(s.dzs + thread * TrainStepShared<K>::kDzStride, p.k);
      const int label = first_argmax(p.targets + (row0 + thread) * p.k, p.k);
      correct += predicted == label ? 1.0 : 0.0;
    }
    __syncthreads();  // the next tile overwrites xs and dzs
  });
  const double block_loss = BlockReduce(reduce_storage).Sum(loss_sum);
  __syncthreads();  // the temporary storage is reused
  const double block_correct = BlockReduce(reduce_storage).Sum(correct);
  if (thread == 0) {
    p.loss_partials[blockIdx.x] = block_loss;
    e.correct_partials[blockIdx.x] = block_correct;
  }
}

/// One thread adds the blocks' partials in block order.
__global__ void evaluate_finalize_kernel(EvaluateFinalizeParams p) {
  if (threadIdx.x != 0 || blockIdx.x != 0) return;
  double loss = 0.0;
  double correct = 0.0;
  for (int b = 0; b < p.blocks; ++b) {
    loss += p.loss_partials[b];
    correct += p.correct_partials[b];
  }
  *p.loss_value = loss * p.loss_multiplier;
  *p.correct = correct;
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
