#include "training_csv.hpp"

#include <cstdio>

#include "lossbench/data/atomic_file.hpp"

namespace lossbench::cli {

// Each file is built in memory (a row per epoch: small) and written through
// AtomicFile, so that a failed write leaves the previous CSV, not half of one.

void write_training_csv(const std::string& path, Loss loss, const std::vector<EpochResult>& epochs) {
  std::string text = "epoch,loss_function,train_loss,test_accuracy,seconds,samples_per_second,test_loss,host_copies\n";
  for (const EpochResult& e : epochs) {
    char row[256];
    // 17 significant digits: the double round-trips, so plots and checks read the exact value.
    std::snprintf(row, sizeof row, "%d,%s,%.17g,%.17g,%.6f,%.1f,%.17g,%llu\n", e.epoch,
                  std::string(to_string(loss)).c_str(), e.train_loss, e.test_accuracy, e.seconds, e.samples_per_second,
                  e.test_loss, static_cast<unsigned long long>(e.host_copies));
    text += row;
  }
  write_file_atomically(path, text);
}

void write_neuron_csv(const std::string& path, const std::vector<NeuronCurve>& curves) {
  std::string text = "epoch,loss_function,output,cost\n";
  for (const NeuronCurve& curve : curves) {
    const std::string loss(to_string(curve.loss));
    for (std::size_t epoch = 0; epoch < curve.trajectory.output.size(); ++epoch) {
      char row[128];
      std::snprintf(row, sizeof row, "%zu,%s,%.17g,%.17g\n", epoch, loss.c_str(), curve.trajectory.output[epoch],
                    curve.trajectory.cost[epoch]);
      text += row;
    }
  }
  write_file_atomically(path, text);
}

}  // namespace lossbench::cli
