#pragma once
// Random inputs of a training step for verification: image-like X, targets
// one-hot or soft, weights that make logits of order 1 (or saturate them).
#include <cstdint>
#include <vector>

namespace lossbench::detail {

/// Host arrays of a step, row-major as train_step() reads them.
struct TrainStepVerifyInputs {
  std::vector<float> inputs;   // X: n × d, 30% zeros, the rest uniform in [0, 1) like pixels
  std::vector<float> targets;  // Y: n × k, each row one-hot or (every other row on average) soft labels in [0, 1)
  std::vector<float> weights;  // W: d × k, weight_scale · N(0, 1) / √d
  std::vector<float> bias;     // b: k, N(0, 1)
};

/// Drawn from `seed`. weight_scale 1 gives logits of order 1; 30 puts most
/// |z| in the tens to hundreds, where σ saturates.
TrainStepVerifyInputs make_train_step_verify_inputs(std::int64_t n, int d, int k, std::uint64_t seed,
                                                    float weight_scale);

}  // namespace lossbench::detail
