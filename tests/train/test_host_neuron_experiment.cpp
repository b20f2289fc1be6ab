// The seed's single-neuron experiment: the trajectory follows the update rule
// exactly (against a closed loop written out here), and it shows the seed's
// point: from a saturated, wrong start, MSE learns slowly and cross-entropy
// at once.
#include <gtest/gtest.h>

#include <cmath>

#include "lossbench/core/error.hpp"
#include "lossbench/train/neuron_experiment.hpp"

namespace lossbench {
namespace {

// The seed's update, written out independently: a = 1/(1 + e^{−z});
// MSE: dC/dz = (a − y)·a(1 − a); cross-entropy: dC/dz = a − y.
std::vector<double> closed_loop(bool mse, int epochs) {
  double w = 2.0, b = 2.0;
  const double x = 1.0, y = 0.0, eta = 0.15;
  std::vector<double> outputs;
  for (int epoch = 0; epoch <= epochs; ++epoch) {
    const double a = 1.0 / (1.0 + std::exp(-(w * x + b)));
    outputs.push_back(a);
    const double delta = mse ? (a - y) * a * (1.0 - a) : a - y;
    w -= eta * x * delta;
    b -= eta * delta;
  }
  return outputs;
}

TEST(HostNeuronExperiment, FollowsTheUpdateRuleExactly) {
  for (const Loss loss : {Loss::mse, Loss::bce}) {
    NeuronExperiment e;
    e.loss = loss;
    const NeuronTrajectory t = run_neuron_experiment(e);
    const std::vector<double> expected = closed_loop(loss == Loss::mse, 300);
    ASSERT_EQ(t.output.size(), 301u);
    for (int epoch = 0; epoch <= 300; ++epoch) {
      // The reference forms a(1 − a) as σ(z)σ(−z): equal to ~1e-15 relative, not bit for bit.
      EXPECT_NEAR(t.output[epoch], expected[epoch], 1e-13) << to_string(loss) << " epoch " << epoch;
    }
  }
}

TEST(HostNeuronExperiment, MseLearnsSlowlyFromASaturatedStartAndCrossEntropyDoesNot) {
  NeuronExperiment e;
  e.loss = Loss::mse;
  const NeuronTrajectory mse = run_neuron_experiment(e);
  e.loss = Loss::bce;
  const NeuronTrajectory ce = run_neuron_experiment(e);
  EXPECT_NEAR(mse.output[0], 0.982, 0.001);  // σ(4)
  // The seed: MSE's output stays near 0.98 for the first ~100 epochs...
  EXPECT_GT(mse.output[50], 0.97);
  EXPECT_GT(mse.output[100], 0.95);
  // ... while cross-entropy's drops at once.
  EXPECT_LT(ce.output[50], 0.2);
  EXPECT_LT(ce.output[300], mse.output[300]);
  for (int epoch = 1; epoch <= 300; ++epoch) {
    EXPECT_LT(ce.output[epoch], ce.output[epoch - 1]) << "cross-entropy's output must fall every epoch";
  }
}

TEST(HostNeuronExperiment, RejectsBadParameters) {
  NeuronExperiment e;
  e.epochs = -1;
  EXPECT_THROW(run_neuron_experiment(e), InputError);
  e.epochs = 10;
  e.learning_rate = NAN;
  EXPECT_THROW(run_neuron_experiment(e), InputError);
}

}  // namespace
}  // namespace lossbench
