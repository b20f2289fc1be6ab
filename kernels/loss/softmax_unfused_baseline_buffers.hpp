#pragma once
// Where the unfused softmax cross-entropy baseline keeps its intermediates,
// in plain C++ so that the host side (built without CUDA) and the launcher
// share one definition.
#include <cstddef>

namespace lossbench::kernels {

struct SoftmaxUnfusedIntermediates {
  void* log_probs = nullptr;                // log p, rows × classes of the call's dtype
  float* row_loss = nullptr;                // ℓ, one float per row
  float* loss_sum = nullptr;                // Σ ℓ, one float
  unsigned long long* counted = nullptr;    // rows not ignored: 0 before the first call, left 0 by each
  float* grad_multiplier = nullptr;         // grad_scale / count, one float
  void* reduce_temp = nullptr;              // cub::DeviceReduce's temporary storage
  std::size_t reduce_temp_bytes = 0;
};

}  // namespace lossbench::kernels
