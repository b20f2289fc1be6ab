#pragma once
// Bytes that each benchmarked variant must move through memory, as code, so
// that the bandwidth and %-of-peak counters and docs/PERF.md agree, and the
// formulas are unit-tested (tests/bench/test_bench_traffic.cpp).
#include <cstdint>

#include "lossbench/dtype.hpp"
#include "lossbench/loss_kind.hpp"

namespace lossbench::bench {

/// forward: the loss only. forward_grad: loss and gradient. in_place: the
/// gradient written over the logits (same bytes as forward_grad, one buffer less).
enum class Pass { forward, forward_grad, in_place };

struct TrafficCase {
  Pass pass = Pass::forward_grad;
  Reduction reduction = Reduction::mean;
  DType dtype = DType::f32;
  std::int64_t n = 0;
};

/// The fused kernel's compulsory traffic, T = sizeof(dtype): read z and y
/// (2T), write g unless forward (T), write ℓ for reduction none (T). The tile
/// partials (4 bytes per 4096 elements, written and read once) are included.
std::int64_t fused_bytes(const TrafficCase& c);

/// The unfused baseline (kernels/unfused_baseline.cuh), with intermediates in
/// memory: sigmoid (read z, write a: 2T), elementwise loss (read a, y: 2T;
/// write ℓ in float: 4), the reduction (read ℓ: 4), and for a gradient the
/// gradient kernel (read a, y, write g: 3T). Only mean and sum.
std::int64_t unfused_bytes(const TrafficCase& c);

/// A device-to-device copy of `bytes` moves twice that: read plus write.
constexpr std::int64_t copy_traffic(std::int64_t bytes) { return 2 * bytes; }

}  // namespace lossbench::bench
