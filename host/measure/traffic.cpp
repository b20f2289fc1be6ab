#include "measure/traffic.hpp"

#include "kernels/loss/fused_loss_tiling.hpp"
#include "kernels/train/train_step_tiling.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench::measure {
namespace {

std::int64_t element_size(DType dtype) { return static_cast<std::int64_t>(dtype_size(dtype)); }

void require_valid(const TrafficCase& c) {
  if (c.n < 0) throw InputError("traffic: n must be >= 0, got " + std::to_string(c.n));
}

void require_valid(const SoftmaxTrafficCase& c) {
  if (c.rows < 0 || c.classes < 1) {
    throw InputError("traffic: softmax needs rows >= 0 and classes >= 1, got rows = " + std::to_string(c.rows) +
                     ", classes = " + std::to_string(c.classes));
  }
  if (c.label_bytes != 4 && c.label_bytes != 8) {
    throw InputError("traffic: labels are int32 (4) or int64 (8), got " + std::to_string(c.label_bytes));
  }
}

void require_valid(const TrainStepShape& s) {
  if (s.n < 1 || s.d < 1 || s.k < 1) {
    throw InputError("traffic: a training step needs n, d, k >= 1, got n = " + std::to_string(s.n) +
                     ", d = " + std::to_string(s.d) + ", k = " + std::to_string(s.k));
  }
  if (s.input_bytes != 1 && s.input_bytes != 4) {
    throw InputError("traffic: inputs are 1 (uint8) or 4 (float32) bytes, got " + std::to_string(s.input_bytes));
  }
}

constexpr std::int64_t kFloat = 4;
constexpr std::int64_t kDouble = 8;
constexpr std::int64_t kIndex = 4;  // int32 row index

}  // namespace

std::int64_t fused_bytes(const TrafficCase& c) {
  require_valid(c);
  const std::int64_t t = element_size(c.dtype);
  std::int64_t per_element = 2 * t;                 // read z, y
  if (c.pass != Pass::forward) per_element += t;    // write g
  if (c.reduction == Reduction::none) per_element += t;  // write ℓ
  if (c.full_weight) per_element += t;                    // read w
  std::int64_t bytes = per_element * c.n;
  if (c.reduction != Reduction::none) {
    const std::int64_t tiles = (c.n + kernels::kTileElements - 1) / kernels::kTileElements;
    bytes += 2 * 4 * tiles;  // each float partial written once and read once
  }
  return bytes;
}

std::int64_t unfused_bytes(const TrafficCase& c) {
  require_valid(c);
  const std::int64_t t = element_size(c.dtype);
  if (c.reduction == Reduction::none) throw InputError("traffic: the unfused baseline computes mean or sum only");
  constexpr std::int64_t kLossBytes = 4;  // ℓ is float32 whatever the dtype
  std::int64_t per_element = c.activation == Activation::sigmoid ? 2 * t : 0;  // sigmoid: read z, write a
  per_element += 2 * t + kLossBytes;                 // loss: read a, y, write ℓ
  per_element += kLossBytes;                         // reduction: read ℓ
  if (c.pass != Pass::forward) per_element += 3 * t;  // gradient: read a, y, write g
  return per_element * c.n;
}

std::int64_t softmax_fused_bytes(const SoftmaxTrafficCase& c) {
  require_valid(c);
  const std::int64_t row = c.classes * element_size(c.dtype);
  return c.rows * (2 * row + c.label_bytes) + (c.class_weight ? row : 0);  // read z and the label, write g
}

std::int64_t softmax_unfused_bytes(const SoftmaxTrafficCase& c) {
  require_valid(c);
  const std::int64_t t = element_size(c.dtype);
  const std::int64_t row = c.classes * t;
  const std::int64_t label = c.label_bytes;
  constexpr std::int64_t kLossBytes = 4;  // ℓ is float32 whatever the dtype
  std::int64_t per_row = 2 * row;          // log_softmax: read z, write log p
  per_row += label + t + kLossBytes;       // NLL gather: read t, log p[t], write ℓ
  per_row += label;                        // count of rows not ignored: read t
  per_row += kLossBytes;                   // reduction: read ℓ
  per_row += label + 2 * row;              // backward: read t, log p, write g
  return c.rows * per_row;
}

std::int64_t fused_train_step_bytes(const TrainStepShape& s) {
  require_valid(s);
  const std::int64_t blocks = kernels::train_step_partition(s.n).blocks;
  const std::int64_t d = s.d;
  const std::int64_t k = s.k;
  const std::int64_t parameters = kFloat * (d * k + k);             // W and b, or dW and db
  std::int64_t bytes = s.n * (s.input_bytes * d + kFloat * k);      // X and Y, once
  if (s.gathered) bytes += s.n * kIndex;                            // each row's index
  bytes += blocks * parameters;                                     // each block reads W and b
  bytes += 2 * blocks * (parameters + kDouble);                     // partials written, then read by finalize
  bytes += (s.sgd_update ? 2 : 1) * parameters + kDouble;           // dW, db (or W, b read and written), L
  return bytes;
}

std::int64_t baseline_train_step_bytes(const TrainStepShape& s) {
  require_valid(s);
  const std::int64_t n = s.n;
  const std::int64_t d = s.d;
  const std::int64_t k = s.k;
  const std::int64_t z = kFloat * n * k;                                   // Z or dZ, once
  const std::int64_t bias_fill = kFloat * (k + n) + z;                     // read b and the ones, write Z
  const std::int64_t gemm1 = kFloat * (n * d + d * k) + 2 * z;             // read X, W, Z; write Z
  const std::int64_t loss = fused_bytes({Pass::forward_grad, Reduction::sum, DType::f32, n * k});  // Z, Y → dZ
  const std::int64_t scale = 2 * kDouble;                                  // L read and written
  const std::int64_t gemm2 = kFloat * (n * d + d * k) + z;                 // read X, dZ; write dW
  const std::int64_t column_sums = z + kFloat * (n + k);                   // read dZ and the ones, write db
  return bias_fill + gemm1 + loss + scale + gemm2 + column_sums;
}

}  // namespace lossbench::measure
