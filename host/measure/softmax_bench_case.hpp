#pragma once
// One softmax cross-entropy benchmark case set up on a backend: logits and
// int64 labels filled, the gradient, loss and workspace allocated, the
// SoftmaxLossCall (mean, loss and gradient) ready to run again and again;
// optionally with class weights (uniform in [0.5, 2]) and label smoothing
// 0.1, the weighted path whose rows read every class's weight.
#include <cstdint>
#include <vector>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/loss/softmax_loss.hpp"

namespace lossbench::measure {

/// The shapes benchmarked, (rows, classes): issue 13's five, from many short
/// rows (V = 10, as MNIST) to a few rows of a large vocabulary (V = 2^18),
/// and V = 128 and 8192, where docs/PERF.md predicts the warp-per-row and
/// block-per-row kernels' shares of the copy bandwidth.
struct SoftmaxShape {
  std::int64_t rows;
  std::int64_t classes;
};
const std::vector<SoftmaxShape>& softmax_bench_shapes();

struct SoftmaxBenchCase {
  /// Allocates and fills; the workspace for softmax_loss() where the
  /// backend has it (empty otherwise: the baseline needs none).
  SoftmaxBenchCase(Backend backend, DType dtype, std::int64_t rows, std::int64_t classes,
                   bool weighted = false);

  BackendBuffer z, labels, g, reduced, workspace, class_weight;
  SoftmaxLossCall call;
};

}  // namespace lossbench::measure
