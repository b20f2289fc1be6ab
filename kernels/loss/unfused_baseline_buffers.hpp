#pragma once
// Where the unfused baseline's intermediates live, in plain C++ so that the
// host side (built without CUDA) and the launcher share one definition.
#include <cstddef>

namespace lossbench::kernels {

struct UnfusedIntermediates {
  void* probabilities = nullptr;      // a, n elements of the call's dtype
  float* elementwise_loss = nullptr;  // ℓ, n floats
  float* sum = nullptr;               // Σ ℓ, one float
  void* reduce_temp = nullptr;        // cub::DeviceReduce's temporary storage
  std::size_t reduce_temp_bytes = 0;
};

}  // namespace lossbench::kernels
