#include "measure/bench_case.hpp"

#include <algorithm>
#include <random>
#include <vector>

#include "lossbench/core/broadcast.hpp"

namespace lossbench::measure {
namespace {

// Logits and targets: a 1 MiB random pattern, repeated (drawing 2^28 random
// numbers on the host would take longer than the benchmark).
void fill_inputs(BackendBuffer& z, BackendBuffer& y, BackendBuffer& w, DType dtype, Activation activation) {
  const std::size_t pattern_elements = (std::size_t{1} << 20) / dtype_size(dtype);
  std::vector<unsigned char> zp(pattern_elements * dtype_size(dtype)), yp(zp.size()), wp(zp.size());
  std::mt19937_64 rng(1);
  std::normal_distribution<double> logit(0.0, 4.0);
  std::normal_distribution<double> noise(0.0, 1.0);
  for (std::size_t i = 0; i < pattern_elements; ++i) {
    const double zi = logit(rng);
    store_from_double(zp.data(), dtype, i, zi);
    const double yi = activation == Activation::identity ? zi + noise(rng) : static_cast<double>(rng() & 1);
    store_from_double(yp.data(), dtype, i, yi);
    store_from_double(wp.data(), dtype, i, 0.5 + 1.5 * static_cast<double>(rng() % 1024) / 1024.0);
  }
  for (std::size_t offset = 0; offset < z.size(); offset += zp.size()) {
    const std::size_t bytes = std::min(zp.size(), z.size() - offset);
    z.upload(zp.data(), bytes, offset);
    y.upload(yp.data(), bytes, offset);
    if (w.size() > 0) w.upload(wp.data(), bytes, offset);
  }
}

}  // namespace

BenchCase::BenchCase(Backend backend, ElementwiseLoss loss, DType d, Pass pass, std::int64_t elements,
                     bool full_weight)
    : n(elements),
      dtype(d),
      z(backend, static_cast<std::size_t>(elements) * dtype_size(d)),
      y(backend, z.size()),
      g(backend, pass == Pass::forward_grad ? z.size() : 0),
      w(backend, full_weight ? z.size() : 0),
      reduced(backend, sizeof(double)) {
  fill_inputs(z, y, w, d, loss.activation);
  call.loss = loss.loss;
  call.activation = loss.activation;
  call.reduction = Reduction::mean;
  call.dtype = d;
  call.logits = z.data();
  call.targets = y.data();
  call.grad = pass == Pass::forward ? nullptr : pass == Pass::in_place ? z.data() : g.data();
  call.reduced_loss = static_cast<double*>(reduced.data());
  call.n = elements;
  if (full_weight && elements > 0) {
    call.weight = w.data();
    const std::int64_t shape[] = {elements};
    call.weight_layout = broadcast_layout(shape, shape, "the benchmark's weight");
  }
  workspace = BackendBuffer(backend, fused_loss_workspace_size(call.n, call.reduction, backend));
  workspace.fill_bytes(0);
}

}  // namespace lossbench::measure
