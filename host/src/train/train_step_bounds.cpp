#include "lossbench/train/train_step_bounds.hpp"

#include "kernels/train/train_step_tiling.hpp"

namespace lossbench {

TrainStepSumLengths fused_train_step_sum_lengths(std::int64_t n, int d) {
  return {static_cast<double>(kernels::train_step_partition(n).rows_per_block), d / 64.0 + 8.0};
}

}  // namespace lossbench
