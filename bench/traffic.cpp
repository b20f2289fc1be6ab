#include "traffic.hpp"

#include "kernels/fused_loss_tiling.hpp"
#include "lossbench/error.hpp"

namespace lossbench::bench {
namespace {

std::int64_t element_size(DType dtype) { return static_cast<std::int64_t>(dtype_size(dtype)); }

void require_valid(const TrafficCase& c) {
  if (c.n < 0) throw InputError("traffic: n must be >= 0, got " + std::to_string(c.n));
}

}  // namespace

std::int64_t fused_bytes(const TrafficCase& c) {
  require_valid(c);
  const std::int64_t t = element_size(c.dtype);
  std::int64_t per_element = 2 * t;                 // read z, y
  if (c.pass != Pass::forward) per_element += t;    // write g
  if (c.reduction == Reduction::none) per_element += t;  // write ℓ
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
  std::int64_t per_element = 2 * t;                  // sigmoid: read z, write a
  per_element += 2 * t + kLossBytes;                 // loss: read a, y, write ℓ
  per_element += kLossBytes;                         // reduction: read ℓ
  if (c.pass != Pass::forward) per_element += 3 * t;  // gradient: read a, y, write g
  return per_element * c.n;
}

}  // namespace lossbench::bench
