#pragma once
// The curves of `lossbench train` as CSV, for bench/plot_training.py: one
// header line, one row per epoch (training) or per epoch and loss (neuron).
#include <string>
#include <vector>

#include "lossbench/core/loss_kind.hpp"
#include "lossbench/train/neuron_experiment.hpp"
#include "lossbench/train/trainer.hpp"

namespace lossbench::cli {

/// Columns: epoch,loss_function,train_loss,test_accuracy,seconds,samples_per_second
/// (test_accuracy a fraction in [0, 1]). Replaces the file whole or not at all
/// (AtomicFile); throws InputError with the path and the reason when it cannot.
void write_training_csv(const std::string& path, Loss loss, const std::vector<EpochResult>& epochs);

struct NeuronCurve {
  Loss loss;
  NeuronTrajectory trajectory;
};

/// Columns: epoch,loss_function,output,cost; rows for every epoch from 0, one curve after the other.
/// Written as write_training_csv writes.
void write_neuron_csv(const std::string& path, const std::vector<NeuronCurve>& curves);

}  // namespace lossbench::cli
