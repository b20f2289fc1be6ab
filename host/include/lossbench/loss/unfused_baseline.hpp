#pragma once
// The unfused baseline as a host object: what an eager framework runs for
// sigmoid + loss + reduction + gradient (kernels/loss/unfused_baseline.cuh), with
// its intermediates allocated once, for comparison with fused_loss().
#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/loss/fused_loss.hpp"

namespace lossbench {

class UnfusedBaseline {
 public:
  /// Allocates the intermediates for calls shaped like `shape` (n, dtype) on
  /// `backend` (emu or cuda).
  UnfusedBaseline(Backend backend, const FusedLossCall& shape);

  /// Same semantics as fused_loss() for mean and sum (bce without pos_weight,
  /// no weight);
  /// stream-ordered on cuda. Throws InputError for other calls.
  void run(const FusedLossCall& call, void* stream);

 private:
  Backend backend_;
  std::int64_t n_;
  DType dtype_;
  BackendBuffer probabilities_, elementwise_loss_, sum_, reduce_temp_;
};

}  // namespace lossbench
