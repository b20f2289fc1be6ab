#pragma once
// The model that train_step() trains: one layer of k sigmoid outputs on d
// inputs, z = xW + b, a = σ(z), predicting the class whose z is largest.
#include <cstdint>
#include <string_view>
#include <vector>

#include "lossbench/data/dataset.hpp"

namespace lossbench {

struct SigmoidModel {
  std::vector<float> weights;  // W: d × k, row-major
  std::vector<float> bias;     // b: k
  int d = 0;
  int k = 0;
};

/// How the parameters start.
///   zero:      W = 0, b = 0: every output 0.5.
///   normal:    W ~ N(0, 0.01²), b = 0: small random, near 0.5.
///   saturated: W = 0, b = +4: every output σ(4) ≈ 0.982 while k − 1 of the
///              k targets are 0: saturated and wrong, the seed's starting
///              point (its neuron has z = w·x + b = 4 too), where MSE's
///              gradient, scaled by σ'(z) ≈ 0.018, nearly vanishes.
enum class ModelInit { zero, normal, saturated };

std::string_view to_string(ModelInit init);
/// Parses "zero" | "normal" | "saturated"; throws InputError naming the bad value otherwise.
ModelInit parse_model_init(std::string_view name);

inline constexpr double kSaturatedBias = 4.0;
inline constexpr double kNormalInitStddev = 0.01;

/// A model of d inputs and k outputs started as `init`; `seed` drives the
/// normal draws (the same seed, the same bits, on every platform).
SigmoidModel initial_model(ModelInit init, int d, int k, std::uint64_t seed);

/// The class of the largest logit for one row of d inputs (logits in double,
/// so that ties are real ties; the lowest class wins a tie).
int predicted_class(const SigmoidModel& model, const float* row);

/// The fraction of `data`'s examples whose predicted class is their label.
/// Throws InputError when the model's d or k differ from the data's, or the data is empty.
double accuracy(const SigmoidModel& model, const Dataset& data);

}  // namespace lossbench
