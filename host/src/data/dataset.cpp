#include "lossbench/data/dataset.hpp"

#include <algorithm>
#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench {

Dataset make_dataset(std::vector<float> inputs, std::vector<std::uint8_t> labels, int d, int k) {
  if (d < 1 || k < 1) {
    throw InputError("a data set needs d >= 1 inputs and k >= 1 classes, got d = " + std::to_string(d) +
                     ", k = " + std::to_string(k));
  }
  const auto n = labels.size();
  const auto width = static_cast<std::size_t>(d);
  const auto classes = static_cast<std::size_t>(k);
  if (inputs.size() != n * width) {
    throw InputError("a data set of " + std::to_string(n) + " labels and " + std::to_string(d) + " inputs per row needs " +
                     std::to_string(n * width) + " inputs, got " + std::to_string(inputs.size()));
  }
  Dataset data;
  data.d = d;
  data.k = k;
  data.targets.assign(n * classes, 0.0f);
  for (std::size_t i = 0; i < n; ++i) {
    if (labels[i] >= classes) {
      throw InputError("label " + std::to_string(labels[i]) + " of example " + std::to_string(i) +
                       " is not below the " + std::to_string(k) + " classes");
    }
    data.targets[i * classes + labels[i]] = 1.0f;
  }
  data.inputs = std::move(inputs);
  data.labels = std::move(labels);
  return data;
}

Dataset make_pixel_dataset(std::vector<std::uint8_t> pixels, std::vector<std::uint8_t> labels, int d, int k) {
  std::vector<float> inputs(pixels.size());
  // v / 255 rounded once: what the kernels' input_value computes without a
  // division (tests/train/test_kernels_train_inputs.cpp checks every v).
  for (std::size_t i = 0; i < pixels.size(); ++i) inputs[i] = static_cast<float>(pixels[i]) / 255.0f;
  Dataset data = make_dataset(std::move(inputs), std::move(labels), d, k);
  data.pixels = std::move(pixels);
  return data;
}

Dataset first_examples(const Dataset& data, std::size_t count) {
  if (count == 0) throw InputError("cannot take the first 0 examples of a data set: the limit must be >= 1");
  const std::size_t n = std::min(count, data.count());
  const auto d = static_cast<std::size_t>(data.d);
  const auto k = static_cast<std::size_t>(data.k);
  Dataset first;
  first.d = data.d;
  first.k = data.k;
  first.inputs.assign(data.inputs.begin(), data.inputs.begin() + static_cast<std::ptrdiff_t>(n * d));
  first.labels.assign(data.labels.begin(), data.labels.begin() + static_cast<std::ptrdiff_t>(n));
  first.targets.assign(data.targets.begin(), data.targets.begin() + static_cast<std::ptrdiff_t>(n * k));
  if (!data.pixels.empty()) {
    first.pixels.assign(data.pixels.begin(), data.pixels.begin() + static_cast<std::ptrdiff_t>(n * d));
  }
  return first;
}

}  // namespace lossbench
