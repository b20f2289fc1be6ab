#include "lossbench/train/train_step_bounds.hpp"

#include "backends/cpu/train_tiling_cpu.hpp"
#include "kernels/train/train_step_tiling.hpp"

namespace lossbench {

TrainStepSumLengths fused_train_step_sum_lengths(std::int64_t n, int d) {
  return {static_cast<double>(kernels::train_step_partition(n).rows_per_block), d / 64.0 + 8.0};
}

TrainStepSumLengths cpu_train_step_sum_lengths(std::int64_t, int d) {
  const std::int64_t per_lane = (std::int64_t{d} + detail::kCpuMinFloatLanes - 1) / detail::kCpuMinFloatLanes;
  return {static_cast<double>(detail::kCpuTrainTileRows),
          static_cast<double>(per_lane) + (detail::kCpuMaxFloatLanes - 1) + 1};
}

TrainStepSumLengths train_step_sum_lengths(Backend backend, std::int64_t n, int d) {
  return backend == Backend::cpu ? cpu_train_step_sum_lengths(n, d) : fused_train_step_sum_lengths(n, d);
}

}  // namespace lossbench
