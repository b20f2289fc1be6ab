#pragma once
// One training-step benchmark case set up on a backend: X, Y, W, b filled,
// dW, db and L allocated, the workspace sized, the TrainStepCall ready to
// run again and again.
#include <cstdint>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/train/train_step.hpp"
#include "lossbench/train/train_step_buffers.hpp"
#include "measure/traffic.hpp"

namespace lossbench::measure {

struct TrainStepCase {
  /// Host memory for ref and emu, device memory for cuda. The fused step's
  /// workspace is allocated on emu and cuda (ref needs none).
  TrainStepCase(Backend backend, Loss loss, const TrainStepShape& shape);

  TrainStepShape shape;
  TrainStepBuffers arrays;
  TrainStepCall call;
  BackendBuffer workspace;
};

}  // namespace lossbench::measure
