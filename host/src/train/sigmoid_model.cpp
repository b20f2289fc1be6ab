#include "lossbench/train/sigmoid_model.hpp"

#include <string>

#include "lossbench/core/error.hpp"
#include "lossbench/reference/train_step_reference.hpp"
#include "core/seeded_random.hpp"

namespace lossbench {

std::string_view to_string(ModelInit init) {
  switch (init) {
    case ModelInit::zero: return "zero";
    case ModelInit::normal: return "normal";
    case ModelInit::saturated: return "saturated";
  }
  return "unknown";
}

ModelInit parse_model_init(std::string_view name) {
  if (name == "zero") return ModelInit::zero;
  if (name == "normal") return ModelInit::normal;
  if (name == "saturated") return ModelInit::saturated;
  throw InputError("unknown initialisation '" + std::string(name) + "' (expected zero, normal or saturated)");
}

SigmoidModel initial_model(ModelInit init, int d, int k, std::uint64_t seed) {
  if (d < 1 || k < 1) {
    throw InputError("a model needs d >= 1 inputs and k >= 1 outputs, got d = " + std::to_string(d) +
                     ", k = " + std::to_string(k));
  }
  SigmoidModel model;
  model.d = d;
  model.k = k;
  model.weights.assign(static_cast<std::size_t>(d) * static_cast<std::size_t>(k), 0.0f);
  model.bias.assign(static_cast<std::size_t>(k), 0.0f);
  if (init == ModelInit::normal) {
    detail::SeededRandom random(seed);
    for (float& w : model.weights) w = static_cast<float>(kNormalInitStddev * random.normal());
  } else if (init == ModelInit::saturated) {
    for (float& b : model.bias) b = static_cast<float>(kSaturatedBias);
  }
  return model;
}

int predicted_class(const SigmoidModel& model, const float* row) {
  std::vector<double> z(static_cast<std::size_t>(model.k));
  reference::logits_of_row(row, model.weights.data(), model.bias.data(), model.d, model.k, z.data());
  int best = 0;
  for (int j = 1; j < model.k; ++j) {
    if (z[j] > z[best]) best = j;
  }
  return best;
}

double accuracy(const SigmoidModel& model, const Dataset& data) {
  if (model.d != data.d || model.k != data.k) {
    throw InputError("a model of " + std::to_string(model.d) + " inputs and " + std::to_string(model.k) +
                     " outputs cannot classify data of " + std::to_string(data.d) + " inputs and " +
                     std::to_string(data.k) + " classes");
  }
  if (data.count() == 0) throw InputError("accuracy of an empty data set is undefined");
  std::size_t correct = 0;
  const auto d = static_cast<std::size_t>(data.d);
  for (std::size_t i = 0; i < data.count(); ++i) {
    if (predicted_class(model, data.inputs.data() + i * d) == data.labels[i]) ++correct;
  }
  return static_cast<double>(correct) / static_cast<double>(data.count());
}

}  // namespace lossbench
