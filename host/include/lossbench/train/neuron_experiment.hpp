#pragma once
// The seed's single-neuron experiment: one input x, one target y, a sigmoid
// neuron a = σ(w·x + b) trained by plain gradient descent on one example.
// Starting saturated and wrong (x = 1, y = 0, w = b = 2, a ≈ 0.98), MSE
// learns slowly because its gradient carries σ'(z), which is tiny there;
// cross-entropy's gradient a − y does not, so it learns at once.
#include <vector>

#include "lossbench/core/loss_kind.hpp"

namespace lossbench {

struct NeuronExperiment {
  Loss loss = Loss::bce;
  double x = 1.0;
  double y = 0.0;
  double w = 2.0;
  double b = 2.0;
  double learning_rate = 0.15;
  int epochs = 300;
};

/// State after each epoch; index 0 is the start, index e after e updates.
struct NeuronTrajectory {
  std::vector<double> w;
  std::vector<double> b;
  std::vector<double> output;  // a = σ(w·x + b)
  std::vector<double> cost;    // C(a, y) of the chosen loss
};

/// Runs the experiment with the double-precision reference's loss and
/// gradient: each epoch, dC/dz at z = w·x + b, then w −= η·x·dC/dz and
/// b −= η·dC/dz. Throws InputError for epochs < 0 or a non-finite parameter.
NeuronTrajectory run_neuron_experiment(const NeuronExperiment& experiment);

}  // namespace lossbench
