#pragma once
// The arrays of a training step in a backend's memory (host memory for ref
// and emu, device memory for cuda), and the TrainStepCall that names them:
// one set-up for the trainer, the benchmarks and the GPU tests.
#include <cstdint>

#include "lossbench/core/backend_buffer.hpp"
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
  BackendBuffer inputs;        // X: rows × d
  BackendBuffer targets;       // Y: rows × k
  BackendBuffer weights;       // W: d × k
  BackendBuffer bias;          // b: k
  BackendBuffer grad_weights;  // dL/dW: d × k
  BackendBuffer grad_bias;     // dL/db: k
  BackendBuffer loss_value;    // L: one double
};

}  // namespace lossbench
