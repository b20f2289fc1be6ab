#include "command_train.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "lossbench/core/error.hpp"
#include "lossbench/data/fashion_mnist.hpp"
#include "lossbench/data/synthetic_dataset.hpp"
#include "lossbench/train/train_step.hpp"
#include "lossbench/train/trainer.hpp"
#include "measure/gpu_measure.hpp"
#include "measure/traffic.hpp"
#include "neuron_experiment_report.hpp"
#include "progress_display.hpp"
#include "training_csv.hpp"

namespace lossbench::cli {

CLI::App* add_train_command(CLI::App& app, TrainCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "train",
      "Train a single layer (z = xW + b, one output per class; sigmoid outputs for mse and bce, a softmax for "
      "softmax-ce) by minibatch SGD with the fused training step, and print the training loss and test accuracy "
      "per epoch. Data: Fashion-MNIST from --data, or from " +
          std::string(kFashionMnistDefaultDirectory) +
          " when present, else a synthetic data set of Gaussian classes. --experiment neuron runs the seed's "
          "single-neuron experiment instead.");
  cmd->add_option("--loss", options.loss,
                  "mse: ½(y − σ(z))² per output;  bce: binary cross-entropy from logits per output (both summed "
                  "over the outputs);  softmax-ce: cross-entropy of the softmax over a row's outputs, −log p_label "
                  "(PyTorch's F.cross_entropy)")
      ->capture_default_str();
  cmd->add_option("--epochs", options.epochs, "Passes over the training set (default 5; 300 for --experiment neuron)");
  cmd->add_option("--batch", options.batch, "Examples per SGD step")->capture_default_str();
  cmd->add_option("--lr", options.learning_rate,
                  "Learning rate η of the first step (default 0.5; 0.15 for --experiment neuron)");
  cmd->add_option("--lr-schedule", options.lr_schedule,
                  "linear: η falls linearly over the run's steps, step s of S at η·(1 − s/S), which settles SGD's "
                  "last steps;  constant: every step at η")
      ->capture_default_str();
  cmd->add_option("--seed", options.seed, "Seed of the initial weights, the shuffling and the synthetic data")
      ->capture_default_str();
  cmd->add_option("--init", options.init,
                  "zero: W = b = 0;  normal: W ~ N(0, 0.01²), b = 0;  saturated: W = 0, b = +4, every output "
                  "≈ 0.98 (saturated and mostly wrong: the seed's start)")
      ->capture_default_str();
  cmd->add_option("--backend", options.backend,
                  "cuda: the GPU; cpu: float32 on the CPU, SIMD and threads (see --threads); ref: the "
                  "double-precision CPU reference; emu: the CUDA kernel on the CPU emulator (slow). Default: cuda "
                  "when a GPU is usable, else cpu (ref in a build whose cpu backend has no training step)");
  cmd->add_option("--x-dtype", options.x_dtype,
                  "How X is kept in the backend's memory and read by the step: u8, the images' pixels (x = v/255, "
                  "a quarter of f32's bytes; the default for Fashion-MNIST), or f32 (the default for synthetic data, "
                  "which has no pixels)")
      ->check(CLI::IsMember({"u8", "f32"}));
  CLI::Option* data = cmd->add_option("--data", options.data_directory,
                                      "Directory of the Fashion-MNIST IDX files (train-images-idx3-ubyte[.gz], ...)");
  cmd->add_flag("--synthetic", options.synthetic, "Use the synthetic data set even if Fashion-MNIST is present")
      ->excludes(data);
  cmd->add_option("--limit", options.limit, "Train on the first N training examples only (the test set stays whole)");
  cmd->add_option("--csv", options.csv_path,
                  "Write the curves as CSV: epoch,loss_function,train_loss,test_accuracy,seconds,samples_per_second,"
                  "test_loss,host_copies "
                  "(--experiment neuron: epoch,loss_function,output,cost)");
  cmd->add_option("--experiment", options.experiment,
                  "neuron: one sigmoid neuron, x = 1, y = 0, w = b = 2, trained with mse and with bce side by side "
                  "(--epochs, --lr and --csv apply to it; the data, model and schedule options do not)");
  return cmd;
}

namespace {

constexpr int kDefaultEpochs = 5;
// With the linear schedule: 0.5 gives softmax-ce 84.26–84.51% after 5 epochs on
// Fashion-MNIST for seeds 1–5 (docs/plots/training/README.md).
constexpr double kDefaultLearningRate = 0.5;

// The fastest backend that can train here: the GPU, else the cpu backend.
Backend default_training_backend() {
  return backend_availability(Backend::cuda).available ? Backend::cuda : Backend::cpu;
}

// --data, else --synthetic, else Fashion-MNIST where Debian installs it, else synthetic.
DatasetSplit load_data(const TrainCommandOptions& options) {
  if (!options.data_directory.empty()) return load_fashion_mnist(options.data_directory);
  if (!options.synthetic && fashion_mnist_present(kFashionMnistDefaultDirectory)) {
    return load_fashion_mnist(kFashionMnistDefaultDirectory);
  }
  SyntheticSpec spec;
  spec.seed = options.seed;
  return make_synthetic_dataset(spec);
}

// What an epoch's steps must move (measure/traffic.hpp), for the GB/s column.
struct EpochTraffic {
  std::int64_t bytes = 0;
  double copy_bandwidth = 0.0;  // bytes/s, device to device, measured once; 0: not shown
};

EpochTraffic epoch_traffic(const Dataset& train, const TrainerOptions& trainer) {
  const auto count = static_cast<std::int64_t>(train.count());
  const std::int64_t batch = std::min<std::int64_t>(trainer.batch, count);
  const auto step = [&](std::int64_t n) {
    return measure::fused_train_step_bytes(
        {n, train.d, train.k, static_cast<int>(input_type_size(trainer.input_type)), true, true});
  };
  EpochTraffic t;
  t.bytes = count / batch * step(batch) + (count % batch > 0 ? step(count % batch) : 0);
  return t;
}

void print_header(bool with_bandwidth, std::ostream& out) {
  char header[200];
  std::snprintf(header, sizeof header, "%6s %12s %13s %10s %12s", "epoch", "train_loss", "test_acc", "seconds",
                "samples/s");
  out << header;
  if (with_bandwidth) {
    std::snprintf(header, sizeof header, " %9s %8s", "GB/s", "of_copy");
    out << header;
  }
  out << '\n' << std::flush;
}

void print_epoch(const EpochResult& e, const EpochTraffic& traffic, std::ostream& out) {
  char line[200];
  std::snprintf(line, sizeof line, "%6d %12.6f %12.2f%% %10.3f %12.0f", e.epoch, e.train_loss,
                100.0 * e.test_accuracy, e.seconds, e.samples_per_second);
  out << line;
  if (traffic.copy_bandwidth > 0.0) {
    const double rate = static_cast<double>(traffic.bytes) / e.seconds;
    std::snprintf(line, sizeof line, " %9.1f %7.1f%%", rate / 1e9, 100.0 * rate / traffic.copy_bandwidth);
    out << line;
  }
  out << '\n' << std::flush;
}

}  // namespace

void run_train_command(const TrainCommandOptions& options, std::ostream& out, std::ostream& progress) {
  if (!options.experiment.empty()) {
    if (options.experiment != "neuron") {
      throw InputError("unknown experiment '" + options.experiment + "' (expected neuron)");
    }
    run_neuron_experiment_report(options.epochs, options.learning_rate, options.csv_path, out);
    return;
  }
  TrainerOptions trainer;
  trainer.loss = parse_loss(options.loss);
  trainer.init = parse_model_init(options.init);
  trainer.backend = options.backend.empty() ? default_training_backend() : parse_backend(options.backend);
  trainer.epochs = options.epochs.value_or(kDefaultEpochs);
  trainer.batch = options.batch;
  trainer.learning_rate = options.learning_rate.value_or(kDefaultLearningRate);
  trainer.schedule = parse_learning_rate_schedule(options.lr_schedule);
  trainer.seed = options.seed;
  // Checked before loading: a bad option or a missing GPU should not wait for 60000 images to decompress.
  validate(trainer);
  const BackendAvailability availability = backend_availability(trainer.backend);
  if (!availability.available) {
    throw BackendError("backend " + std::string(to_string(trainer.backend)) + " is not available: " +
                       availability.reason);
  }
  if (!has_train_step(trainer.backend)) {
    throw BackendError("backend " + std::string(to_string(trainer.backend)) + " has no training step in this build");
  }
  if (options.limit && *options.limit < 1) {
    throw InputError("--limit must be >= 1, got " + std::to_string(*options.limit));
  }

  DatasetSplit data = load_data(options);
  const std::size_t available = data.train.count();
  if (options.limit) data.train = first_examples(data.train, static_cast<std::size_t>(*options.limit));
  out << "data: " << data.source << ": " << data.train.count() << " training examples";
  if (data.train.count() < available) out << " (the first of " << available << ")";
  out << ", " << data.test.count() << " test examples, " << data.train.d << " inputs, " << data.train.k
      << " classes\n";
  // u8 where the data has pixels, unless asked otherwise; u8 without pixels is an error naming the fix.
  const bool has_pixels = !data.train.pixels.empty() && !data.test.pixels.empty();
  trainer.input_type = parse_input_type(options.x_dtype.empty() ? (has_pixels ? "u8" : "f32") : options.x_dtype);
  if (trainer.input_type == InputType::u8 && !has_pixels) {
    throw InputError("--x-dtype u8 needs data read from images (Fashion-MNIST IDX files); " + data.source +
                     " has no pixels: use --x-dtype f32");
  }
  out << "model: single " << (trainer.loss == Loss::softmax_ce ? "softmax" : "sigmoid") << " layer; loss "
      << to_string(trainer.loss) << ", init " << to_string(trainer.init)
      << ", backend " << to_string(trainer.backend) << ", batch " << trainer.batch << ", lr " << trainer.learning_rate
      << (trainer.schedule == LearningRateSchedule::linear ? " falling linearly to 0" : " constant") << ", seed " << trainer.seed << ", " << trainer.epochs << " epochs, X as " << to_string(trainer.input_type)
      << "\n";
  EpochTraffic traffic = epoch_traffic(data.train, trainer);
  if (trainer.backend == Backend::cuda) {
    // On the GPU each epoch's steps are also a rate against memory: the bytes
    // they must move (measure/traffic.hpp) over their time, next to a copy.
    traffic.copy_bandwidth = measure::gpu_copy_bandwidth();
    out << "device-to-device copy: " << traffic.copy_bandwidth / 1e9 << " GB/s; an epoch's steps move "
        << static_cast<double>(traffic.bytes) / 1e6 << " MB\n";
  }
  print_header(traffic.copy_bandwidth > 0.0, out);

  ProgressDisplay display(progress, stream_is_terminal(progress), trainer.epochs);
  TrainingCallbacks callbacks;
  callbacks.on_batch = [&](const BatchProgress& p) { display.update(p); };
  callbacks.on_epoch = [&](const EpochResult& e) {
    display.end_epoch();
    print_epoch(e, traffic, out);
  };
  const TrainingResult result = train(trainer, data.train, data.test, callbacks);
  if (!options.csv_path.empty()) write_training_csv(options.csv_path, trainer.loss, result.epochs);
}

}  // namespace lossbench::cli
