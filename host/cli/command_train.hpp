#pragma once
// `lossbench train`: minibatch SGD of a single sigmoid layer with the fused
// training step, on Fashion-MNIST or a synthetic data set, with MSE or
// cross-entropy; or (--experiment neuron) the seed's single-neuron experiment.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace lossbench::cli {

struct TrainCommandOptions {
  std::string loss = "bce";
  std::optional<int> epochs;             // default 5; 300 for --experiment neuron
  int batch = 64;
  std::optional<double> learning_rate;   // default 0.5; 0.15 for --experiment neuron
  std::string lr_schedule = "linear";
  std::uint64_t seed = 1;
  std::string init = "normal";
  std::string backend;                   // empty: cuda when a GPU is usable, else cpu
  std::string x_dtype;                   // empty: u8 when the data has pixels (IDX files), else f32
  std::string data_directory;            // empty: Fashion-MNIST's default directory if present, else synthetic
  bool synthetic = false;
  std::optional<std::int64_t> limit;     // first N training examples
  std::string csv_path;
  std::string experiment;                // empty, or "neuron"
};

CLI::App* add_train_command(CLI::App& app, TrainCommandOptions& options);

/// Runs it: which data, then one line per epoch on `out` (or the neuron
/// experiment's table); progress on `progress` (a bar redrawn in place when
/// it is a terminal's stderr, else an occasional line). Throws InputError on
/// bad input, BackendError when the backend cannot run.
void run_train_command(const TrainCommandOptions& options, std::ostream& out, std::ostream& progress);

}  // namespace lossbench::cli
