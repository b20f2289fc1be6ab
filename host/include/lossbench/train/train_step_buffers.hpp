#pragma once
// The arrays of a training step in a backend's memory (host memory for ref
// and emu, device memory for cuda), and the TrainStepCall that names them:
// one set-up for the trainer, the benchmarks and the GPU tests.
#include <cstdint>

#include "lossbench/core/device_buffer.hpp"
#include "lossbench/core/loss_kind.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench {

struct TrainStepBuffers {
  /// Room for up to `rows` rows of d inputs and k outputs; throws BackendError
  /// when the backend cannot allocate.
  TrainStepBuffers(Backend backend, std::int64_t rows, int d, int k);

  /// The step on the first n ≤ rows rows of the inputs and targets.
  TrainStepCall call(Loss loss, std::int64_t n) const;

  std::int64_t rows;
  int d;
  int k;
  DeviceBuffer inputs;        // X: rows × d
  DeviceBuffer targets;       // Y: rows × k
  DeviceBuffer weights;       // W: d × k
  DeviceBuffer bias;          // b: k
  DeviceBuffer grad_weights;  // dL/dW: d × k
  DeviceBuffer grad_bias;     // dL/db: k
  DeviceBuffer loss_value;    // L: one double
};

}  // namespace lossbench
