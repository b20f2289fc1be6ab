#pragma once
// `lossbench train --experiment neuron`: the seed's single neuron trained with
// MSE and with cross-entropy from the same saturated start, side by side.
#include <optional>
#include <ostream>
#include <string>

namespace lossbench::cli {

/// Runs run_neuron_experiment for mse and bce (x = 1, y = 0, w = b = 2;
/// `epochs` and `learning_rate` override 300 and 0.15), prints the output
/// and cost every kNeuronReportEvery epochs and at the last, and writes
/// every epoch to `csv_path` unless it is empty.
void run_neuron_experiment_report(std::optional<int> epochs, std::optional<double> learning_rate,
                                  const std::string& csv_path, std::ostream& out);

inline constexpr int kNeuronReportEvery = 50;

}  // namespace lossbench::cli
