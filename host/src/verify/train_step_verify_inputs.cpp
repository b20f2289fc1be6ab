#include "verify/train_step_verify_inputs.hpp"

#include <cmath>
#include <cstddef>
#include <random>

namespace lossbench::detail {

TrainStepVerifyInputs make_train_step_verify_inputs(std::int64_t n, int d, int k, std::uint64_t seed,
                                                    float weight_scale) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const auto rows = static_cast<std::size_t>(n);
  const auto columns = static_cast<std::size_t>(d);
  const auto outputs = static_cast<std::size_t>(k);
  TrainStepVerifyInputs in;
  in.inputs.resize(rows * columns);
  for (float& v : in.inputs) v = unit(rng) < 0.3f ? 0.0f : unit(rng);
  in.targets.resize(rows * outputs);
  for (std::size_t i = 0; i < rows; ++i) {
    const bool one_hot = unit(rng) < 0.5f;
    const std::size_t label = rng() % outputs;
    for (std::size_t j = 0; j < outputs; ++j) {
      in.targets[i * outputs + j] = one_hot ? (j == label ? 1.0f : 0.0f) : unit(rng);
    }
  }
  in.weights.resize(columns * outputs);
  for (float& v : in.weights) v = weight_scale * normal(rng) / std::sqrt(static_cast<float>(d));
  in.bias.resize(outputs);
  for (float& v : in.bias) v = normal(rng);
  return in;
}

}  // namespace lossbench::detail
