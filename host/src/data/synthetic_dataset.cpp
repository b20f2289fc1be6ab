#include "lossbench/data/synthetic_dataset.hpp"

#include <cmath>
#include <string>

#include "lossbench/core/error.hpp"
#include "core/seeded_random.hpp"

namespace lossbench {
namespace {

Dataset sample(const std::vector<double>& means, const SyntheticSpec& spec, std::size_t count,
               detail::SeededRandom& random) {
  const auto d = static_cast<std::size_t>(spec.d);
  std::vector<float> inputs(count * d);
  std::vector<std::uint8_t> labels(count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto label = static_cast<std::size_t>(random.below(static_cast<std::uint64_t>(spec.k)));
    labels[i] = static_cast<std::uint8_t>(label);
    for (std::size_t c = 0; c < d; ++c) {
      inputs[i * d + c] = static_cast<float>(means[label * d + c] + spec.spread * random.normal());
    }
  }
  return make_dataset(std::move(inputs), std::move(labels), spec.d, spec.k);
}

}  // namespace

DatasetSplit make_synthetic_dataset(const SyntheticSpec& spec) {
  if (spec.d < 1 || spec.k < 1 || spec.k > 255) {
    throw InputError("a synthetic data set needs d >= 1 and 1 <= k <= 255, got d = " + std::to_string(spec.d) +
                     ", k = " + std::to_string(spec.k));
  }
  if (spec.train_count == 0 || spec.test_count == 0) {
    throw InputError("a synthetic data set needs at least one training and one test example");
  }
  if (!std::isfinite(spec.spread) || spec.spread < 0) {
    throw InputError("a synthetic data set's spread must be finite and >= 0, got " + std::to_string(spec.spread));
  }
  detail::SeededRandom random(spec.seed);
  std::vector<double> means(static_cast<std::size_t>(spec.k) * static_cast<std::size_t>(spec.d));
  for (double& m : means) m = random.uniform();
  DatasetSplit split;
  split.train = sample(means, spec, spec.train_count, random);
  split.test = sample(means, spec, spec.test_count, random);
  split.source = "synthetic (" + std::to_string(spec.k) + " Gaussian classes in " + std::to_string(spec.d) +
                 " dimensions, seed " + std::to_string(spec.seed) + ")";
  return split;
}

}  // namespace lossbench
