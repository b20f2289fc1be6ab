// What TrainStepBaseline promises on any machine: its workspace size, its
// shape limits, and a BackendError (not a crash) where there is no GPU.
#include <gtest/gtest.h>

#include <climits>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/train/train_step_baseline.hpp"

namespace lossbench {
namespace {

TEST(HostTrainStepBaseline, WorkspaceHoldsZdZOnesAndTheLibrariesWorkspaces) {
  const std::int64_t n = 1000;
  const int k = 10;
  const std::size_t intermediates = 2 * n * k * sizeof(float) + n * sizeof(float);
  const std::size_t bytes = train_step_baseline_workspace_size(n, k);
  EXPECT_GE(bytes, intermediates + (std::size_t{32} << 20));  // cuBLAS's 32 MiB
  EXPECT_LT(bytes, intermediates + (std::size_t{33} << 20));
  EXPECT_GT(train_step_baseline_workspace_size(2 * n, k), bytes);
}

TEST(HostTrainStepBaseline, RejectsShapesCublasCannotTake) {
  EXPECT_THROW(train_step_baseline_workspace_size(0, 10), InputError);
  EXPECT_THROW(train_step_baseline_workspace_size(std::int64_t{INT_MAX} + 1, 10), InputError);
  EXPECT_THROW(train_step_baseline_workspace_size(10, 0), InputError);
  EXPECT_THROW(train_step_baseline_workspace_size(10, train_step_limits(Backend::cuda).max_outputs + 1), InputError);
}

TEST(HostTrainStepBaseline, WithoutAGpuSaysWhy) {
  const BackendAvailability cuda = backend_availability(Backend::cuda);
  if (cuda.available) GTEST_SKIP() << "a GPU is available; tests/train/test_gpu_train_step.cpp runs the baseline";
  TrainStepCall shape;
  shape.n = 64;
  shape.d = 784;
  shape.k = 10;
  try {
    TrainStepBaseline baseline(shape);
    ADD_FAILURE() << "constructed a cuBLAS baseline without a GPU";
  } catch (const BackendError& e) {
    EXPECT_NE(std::string(e.what()).find(cuda.reason), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lossbench
