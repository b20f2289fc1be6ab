#include "lossbench/train/neuron_experiment.hpp"

#include <cmath>
#include <string>

#include "lossbench/core/error.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"

namespace lossbench {

NeuronTrajectory run_neuron_experiment(const NeuronExperiment& e) {
  if (e.epochs < 0) throw InputError("the neuron experiment needs epochs >= 0, got " + std::to_string(e.epochs));
  for (const double v : {e.x, e.y, e.w, e.b, e.learning_rate}) {
    if (!std::isfinite(v)) throw InputError("the neuron experiment's x, y, w, b and learning rate must be finite");
  }
  NeuronTrajectory t;
  double w = e.w;
  double b = e.b;
  const auto record = [&] {
    const double z = w * e.x + b;
    t.w.push_back(w);
    t.b.push_back(b);
    t.output.push_back(reference::sigmoid(z));
    t.cost.push_back(reference::elementwise(e.loss, z, e.y).loss);
  };
  record();
  for (int epoch = 0; epoch < e.epochs; ++epoch) {
    const double dc_dz = reference::elementwise(e.loss, w * e.x + b, e.y).grad;
    w -= e.learning_rate * e.x * dc_dz;
    b -= e.learning_rate * dc_dz;
    record();
  }
  return t;
}

}  // namespace lossbench
