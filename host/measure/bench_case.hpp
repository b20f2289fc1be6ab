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
  /// `full_weight`: a weight of the input's shape (values in [0.5, 2)).
  BenchCase(Backend backend, ElementwiseLoss loss, DType dtype, Pass pass, std::int64_t n, bool full_weight = false);

  std::int64_t n;
  DType dtype;
  BackendBuffer z, y, g, w, reduced, workspace;
  FusedLossCall call;
};

}  // namespace lossbench::measure
