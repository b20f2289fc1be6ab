#include "measure/train_step_case.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace lossbench::measure {
namespace {

// Fills `buffer` with a random pattern of at most 1 MiB, repeated: drawing
// 2^18 × 784 random numbers on the host would take longer than the
// benchmark, and the values do not change the work.
template <class Draw>
void fill_repeating(BackendBuffer& buffer, Draw draw) {
  const std::size_t floats = std::min<std::size_t>(buffer.size() / sizeof(float), (std::size_t{1} << 20) / 4);
  std::vector<float> pattern(floats);
  for (float& v : pattern) v = draw();
  const std::size_t pattern_bytes = pattern.size() * sizeof(float);
  for (std::size_t offset = 0; offset < buffer.size(); offset += pattern_bytes) {
    buffer.upload(pattern.data(), std::min(pattern_bytes, buffer.size() - offset), offset);
  }
}

}  // namespace

TrainStepCase::TrainStepCase(Backend backend, Loss loss, const TrainStepShape& s)
    : shape(s), arrays(backend, s.n, s.d, s.k), call(arrays.call(loss, s.n)) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  fill_repeating(arrays.inputs, [&] { return unit(rng) < 0.3f ? 0.0f : unit(rng); });  // image-like: many zeros
  fill_repeating(arrays.targets, [&] { return unit(rng) < 0.1f ? 1.0f : 0.0f; });      // mostly-zero labels
  fill_repeating(arrays.weights, [&] { return normal(rng) / std::sqrt(static_cast<float>(s.d)); });
  fill_repeating(arrays.bias, [&] { return normal(rng); });
  workspace = BackendBuffer(backend, train_step_workspace_size(call.n, call.d, call.k, backend));
}

}  // namespace lossbench::measure
