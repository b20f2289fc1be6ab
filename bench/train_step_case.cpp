#include "train_step_case.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace lossbench::bench {
namespace {

// Fills `buffer` with a random pattern of at most 1 MiB, repeated: drawing
// 2^18 × 784 random numbers on the host would take longer than the
// benchmark, and the values do not change the work.
template <class Draw>
void fill_repeating(DeviceBuffer& buffer, Draw draw) {
  const std::size_t floats = std::min<std::size_t>(buffer.size() / sizeof(float), (std::size_t{1} << 20) / 4);
  std::vector<float> pattern(floats);
  for (float& v : pattern) v = draw();
  const std::size_t pattern_bytes = pattern.size() * sizeof(float);
  for (std::size_t offset = 0; offset < buffer.size(); offset += pattern_bytes) {
    buffer.upload(pattern.data(), std::min(pattern_bytes, buffer.size() - offset), offset);
  }
}

std::size_t floats(std::int64_t count) { return static_cast<std::size_t>(count) * sizeof(float); }

}  // namespace

TrainStepCase::TrainStepCase(Backend backend, Loss loss, const TrainStepShape& s)
    : shape(s),
      x(backend, floats(s.n * s.d)),
      y(backend, floats(s.n * s.k)),
      w(backend, floats(std::int64_t{s.d} * s.k)),
      b(backend, floats(s.k)),
      grad_w(backend, w.size()),
      grad_b(backend, b.size()),
      loss_value(backend, sizeof(double)) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  fill_repeating(x, [&] { return unit(rng) < 0.3f ? 0.0f : unit(rng); });  // image-like: many zeros
  fill_repeating(y, [&] { return unit(rng) < 0.1f ? 1.0f : 0.0f; });       // mostly-zero labels
  fill_repeating(w, [&] { return normal(rng) / std::sqrt(static_cast<float>(s.d)); });
  fill_repeating(b, [&] { return normal(rng); });
  call.loss = loss;
  call.inputs = static_cast<const float*>(x.data());
  call.targets = static_cast<const float*>(y.data());
  call.weights = static_cast<const float*>(w.data());
  call.bias = static_cast<const float*>(b.data());
  call.n = s.n;
  call.d = s.d;
  call.k = s.k;
  call.grad_weights = static_cast<float*>(grad_w.data());
  call.grad_bias = static_cast<float*>(grad_b.data());
  call.loss_value = static_cast<double*>(loss_value.data());
  workspace = DeviceBuffer(backend, backend == Backend::ref ? 0 : train_step_workspace_size(call));
}

}  // namespace lossbench::bench
