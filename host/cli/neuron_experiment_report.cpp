#include "neuron_experiment_report.hpp"

#include <cstdio>
#include <vector>

#include "lossbench/train/neuron_experiment.hpp"
#include "training_csv.hpp"

namespace lossbench::cli {

void run_neuron_experiment_report(std::optional<int> epochs, std::optional<double> learning_rate,
                                  const std::string& csv_path, std::ostream& out) {
  NeuronExperiment experiment;  // the seed's defaults
  if (epochs) experiment.epochs = *epochs;
  if (learning_rate) experiment.learning_rate = *learning_rate;
  std::vector<NeuronCurve> curves;
  for (const Loss loss : {Loss::mse, Loss::bce}) {
    experiment.loss = loss;
    curves.push_back({loss, run_neuron_experiment(experiment)});
  }
  const NeuronTrajectory& mse = curves[0].trajectory;
  const NeuronTrajectory& bce = curves[1].trajectory;

  char line[160];
  std::snprintf(line, sizeof line,
                "single neuron: x = %g, y = %g, start w = %g, b = %g (output %.4f), learning rate %g, %d epochs\n",
                experiment.x, experiment.y, experiment.w, experiment.b, mse.output[0], experiment.learning_rate,
                experiment.epochs);
  out << line;
  std::snprintf(line, sizeof line, "%6s %12s %12s %12s %12s\n", "epoch", "mse output", "bce output", "mse cost",
                "bce cost");
  out << line;
  for (int epoch = 0; epoch <= experiment.epochs; ++epoch) {
    if (epoch % kNeuronReportEvery != 0 && epoch != experiment.epochs) continue;
    const auto e = static_cast<std::size_t>(epoch);
    std::snprintf(line, sizeof line, "%6d %12.4f %12.4f %12.4f %12.4f\n", epoch, mse.output[e], bce.output[e],
                  mse.cost[e], bce.cost[e]);
    out << line;
  }
  if (!csv_path.empty()) write_neuron_csv(csv_path, curves);
}

}  // namespace lossbench::cli
