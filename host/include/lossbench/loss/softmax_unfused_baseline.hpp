#pragma once
// The unfused softmax cross-entropy baseline as a host object: what PyTorch
// eager runs for cross_entropy + backward (log_softmax, NLL gather, reduce,
// backward as separate kernels: kernels/loss/softmax_unfused_baseline.cuh),
// with its intermediates (log p: rows × classes) allocated once, for
// comparison with softmax_loss().
#include <cstdint>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/loss/softmax_loss.hpp"

namespace lossbench {

class SoftmaxUnfusedBaseline {
 public:
  /// Allocates the intermediates for calls shaped like `shape` (rows,
  /// classes, dtype) on `backend` (emu or cuda; BackendError elsewhere).
  SoftmaxUnfusedBaseline(Backend backend, const SoftmaxLossCall& shape);

  /// Same semantics as softmax_loss() for cross_entropy with int64 class
  /// indices, reduction mean (over the rows not ignored), ignore_index and
  /// grad_scale; grad may be null (loss only) but not equal to the logits.
  /// Stream-ordered on cuda. Throws InputError for other calls (label
  /// smoothing, z-loss, per-row outputs, another shape than the one set up).
  void run(const SoftmaxLossCall& call, void* stream);

 private:
  Backend backend_;
  std::int64_t rows_, classes_;
  DType dtype_;
  BackendBuffer log_probs_, row_loss_, scalars_, reduce_temp_;
};

}  // namespace lossbench
