#pragma once
// One benchmark case set up on a backend: inputs filled, outputs and
// workspace allocated, the FusedLossCall ready to run again and again.
#include <cstdint>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/loss/fused_loss.hpp"
#include "measure/traffic.hpp"

namespace lossbench::measure {

struct BenchCase {
  /// Mean reduction; the gradient as `pass` says (over the logits for in_place).
  /// Targets are 0/1 labels for the sigmoid, z plus noise for identity.
  BenchCase(Backend backend, ElementwiseLoss loss, DType dtype, Pass pass, std::int64_t n);

  std::int64_t n;
  DType dtype;
  BackendBuffer z, y, g, reduced, workspace;
  FusedLossCall call;
};

}  // namespace lossbench::measure
