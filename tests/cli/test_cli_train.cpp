// `lossbench train` end to end, in-process: per-epoch lines on synthetic data,
// the CSV it writes, the neuron experiment's numbers against the library's
// trajectory, and every kind of bad input exits 2 naming the problem.
#include <gtest/gtest.h>

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../data/file_size_limit.hpp"
#include "cli.hpp"
#include "common/test_directory.hpp"
#include "lossbench/core/backend.hpp"
#include "lossbench/train/train_step.hpp"
#include "lossbench/train/neuron_experiment.hpp"

namespace lossbench {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream stream(text);
  while (std::getline(stream, part, separator)) parts.push_back(part);
  return parts;
}

// Lines of `text` whose first field is an integer: the table rows.
std::vector<std::vector<std::string>> table_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& line : split(text, '\n')) {
    std::istringstream fields(line);
    std::vector<std::string> row;
    for (std::string field; fields >> field;) row.push_back(field);
    if (!row.empty() && row[0].find_first_not_of("0123456789") == std::string::npos) rows.push_back(row);
  }
  return rows;
}

class CliTrain : public ::testing::Test {
 protected:

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  int run(std::vector<std::string> args) {
    args.insert(args.begin(), "train");
    out_.str("");
    err_.str("");
    return cli::run(args, out_, err_);
  }

  void expect_bad_input(const std::vector<std::string>& args, const std::string& needle) {
    std::string command = "train ";
    for (const auto& a : args) command += a + " ";
    EXPECT_EQ(run(args), cli::kExitBadInput) << command << "\nstdout: " << out_.str() << "\nstderr: " << err_.str();
    EXPECT_NE(err_.str().find(needle), std::string::npos)
        << command << "\nstderr: " << err_.str() << "\nexpected to contain: " << needle;
  }

  void write_gzip(const std::string& name, const std::string& bytes) { dir_.write_gzip(name, bytes); }

  testing::TestDirectory dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CliTrain, SyntheticRunPrintsTheDataThenOneLinePerEpoch) {
  ASSERT_EQ(run({"--synthetic", "--epochs", "3", "--batch", "32"}), cli::kExitOk) << err_.str();
  const std::string out = out_.str();
  EXPECT_EQ(out.rfind("data: synthetic", 0), 0u) << "the data source comes first:\n" << out;
  const auto rows = table_rows(out);
  ASSERT_EQ(rows.size(), 3u) << out;
  for (std::size_t e = 0; e < rows.size(); ++e) {
    ASSERT_EQ(rows[e].size(), 5u) << out;  // epoch, train_loss, test_acc, seconds, samples/s
    EXPECT_EQ(rows[e][0], std::to_string(e + 1));
    EXPECT_EQ(rows[e][2].back(), '%');
  }
  EXPECT_GT(std::stod(rows[2][2]), 95.0) << "separable classes must be learnt:\n" << out;
  EXPECT_LT(std::stod(rows[2][1]), std::stod(rows[0][1])) << "the training loss must fall:\n" << out;
  EXPECT_EQ(err_.str().find('\r'), std::string::npos) << "no redrawn bar when stderr is not a terminal";
}

// softmax-ce trains a softmax layer: the model line says so, the CSV names
// the loss, the separable classes are learnt, and --help lists it.
TEST_F(CliTrain, SoftmaxCeTrainsASoftmaxLayer) {
  const std::string csv = path("softmax.csv");
  ASSERT_EQ(run({"--synthetic", "--epochs", "3", "--batch", "32", "--loss", "softmax-ce", "--csv", csv}),
            cli::kExitOk)
      << err_.str();
  const std::string out = out_.str();
  EXPECT_NE(out.find("model: single softmax layer; loss softmax-ce"), std::string::npos) << out;
  const auto rows = table_rows(out);
  ASSERT_EQ(rows.size(), 3u) << out;
  EXPECT_GT(std::stod(rows[2][2]), 95.0) << "separable classes must be learnt:\n" << out;
  EXPECT_LT(std::stod(rows[2][1]), std::stod(rows[0][1])) << "the training loss must fall:\n" << out;
  std::ifstream file(csv);
  std::stringstream text;
  text << file.rdbuf();
  const auto lines = split(text.str(), '\n');
  ASSERT_EQ(lines.size(), 4u) << text.str();
  EXPECT_EQ(split(lines[1], ',')[1], "softmax-ce") << lines[1];

  ASSERT_EQ(run({"--help"}), cli::kExitOk);
  EXPECT_NE(out_.str().find("softmax-ce: cross-entropy of the softmax"), std::string::npos) << out_.str();
}

TEST_F(CliTrain, PixelInputsNeedDataThatHasPixels) {
  EXPECT_EQ(run({"--synthetic", "--epochs", "1", "--x-dtype", "u8"}), cli::kExitBadInput);
  EXPECT_NE(err_.str().find("has no pixels: use --x-dtype f32"), std::string::npos) << err_.str();
  EXPECT_EQ(run({"--synthetic", "--epochs", "1", "--x-dtype", "f16"}), cli::kExitBadInput);
  ASSERT_EQ(run({"--synthetic", "--epochs", "1", "--x-dtype", "f32", "--limit", "100"}), cli::kExitOk) << err_.str();
  EXPECT_NE(out_.str().find("X as f32"), std::string::npos) << out_.str();
}

TEST_F(CliTrain, LimitTakesTheFirstTrainingExamples) {
  ASSERT_EQ(run({"--synthetic", "--epochs", "1", "--limit", "100"}), cli::kExitOk) << err_.str();
  EXPECT_NE(out_.str().find("100 training examples (the first of 2048)"), std::string::npos) << out_.str();
}

TEST_F(CliTrain, CsvHoldsOneRowPerEpochWithTheStatedColumns) {
  const std::string csv = path("curve.csv");
  ASSERT_EQ(run({"--synthetic", "--epochs", "4", "--loss", "mse", "--csv", csv}), cli::kExitOk) << err_.str();
  std::ifstream file(csv);
  std::stringstream text;
  text << file.rdbuf();
  const auto lines = split(text.str(), '\n');
  ASSERT_EQ(lines.size(), 5u) << text.str();
  EXPECT_EQ(lines[0], "epoch,loss_function,train_loss,test_accuracy,seconds,samples_per_second,test_loss,host_copies");
  const auto printed = table_rows(out_.str());
  ASSERT_EQ(printed.size(), 4u) << out_.str();
  for (std::size_t e = 1; e < lines.size(); ++e) {
    const auto fields = split(lines[e], ',');
    ASSERT_EQ(fields.size(), 8u) << lines[e];
    EXPECT_EQ(fields[0], std::to_string(e));
    EXPECT_EQ(fields[1], "mse");
    const double accuracy = std::stod(fields[3]);
    EXPECT_GE(accuracy, 0.0);
    EXPECT_LE(accuracy, 1.0);
    EXPECT_GT(std::stod(fields[4]), 0.0);
    EXPECT_GT(std::stod(fields[5]), 0.0);
    EXPECT_GT(std::stod(fields[6]), 0.0) << "the test loss";
    // The order up and the results down, plus a progress read per second of a slow epoch.
    EXPECT_GE(std::stoi(fields[7]), 2) << "host copies";
    // The CSV and the printed line are the same numbers (printed rounded).
    EXPECT_NEAR(std::stod(fields[2]), std::stod(printed[e - 1][1]), 5e-7) << lines[e];
    EXPECT_NEAR(100.0 * accuracy, std::stod(printed[e - 1][2]), 5e-3) << lines[e];
  }
}

std::string four_decimals(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", v);
  return text;
}

TEST_F(CliTrain, NeuronExperimentPrintsTheLibrarysTrajectory) {
  ASSERT_EQ(run({"--experiment", "neuron"}), cli::kExitOk) << err_.str();
  NeuronExperiment experiment;
  experiment.loss = Loss::mse;
  const NeuronTrajectory mse = run_neuron_experiment(experiment);
  experiment.loss = Loss::bce;
  const NeuronTrajectory bce = run_neuron_experiment(experiment);
  const auto rows = table_rows(out_.str());
  ASSERT_EQ(rows.size(), 7u) << out_.str();  // epochs 0, 50, ..., 300
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::size_t epoch = 50 * r;
    ASSERT_EQ(rows[r].size(), 5u) << out_.str();
    EXPECT_EQ(rows[r][0], std::to_string(epoch));
    EXPECT_EQ(rows[r][1], four_decimals(mse.output[epoch])) << "epoch " << epoch;
    EXPECT_EQ(rows[r][2], four_decimals(bce.output[epoch])) << "epoch " << epoch;
    EXPECT_EQ(rows[r][3], four_decimals(mse.cost[epoch])) << "epoch " << epoch;
    EXPECT_EQ(rows[r][4], four_decimals(bce.cost[epoch])) << "epoch " << epoch;
  }
  // The seed's numbers: MSE stuck near 0.98 for ~100 epochs, cross-entropy down at once.
  EXPECT_EQ(rows[0][1], "0.9820");
  EXPECT_EQ(rows[2][1], "0.9641");
  EXPECT_EQ(rows[6][1], "0.2028");
  EXPECT_EQ(rows[1][2], "0.0985");
}

TEST_F(CliTrain, NeuronExperimentTakesEpochsAndLearningRateAndWritesEveryEpoch) {
  const std::string csv = path("neuron.csv");
  ASSERT_EQ(run({"--experiment", "neuron", "--epochs", "120", "--lr", "0.3", "--csv", csv}), cli::kExitOk)
      << err_.str();
  const auto rows = table_rows(out_.str());
  ASSERT_EQ(rows.size(), 4u) << out_.str();  // 0, 50, 100 and the last, 120
  EXPECT_EQ(rows.back()[0], "120");
  NeuronExperiment experiment;
  experiment.epochs = 120;
  experiment.learning_rate = 0.3;
  experiment.loss = Loss::mse;
  const NeuronTrajectory mse = run_neuron_experiment(experiment);
  experiment.loss = Loss::bce;
  const NeuronTrajectory bce = run_neuron_experiment(experiment);

  std::ifstream file(csv);
  std::stringstream text;
  text << file.rdbuf();
  const auto lines = split(text.str(), '\n');
  ASSERT_EQ(lines.size(), 1u + 2u * 121u) << "a header, then epochs 0..120 for mse and for bce";
  EXPECT_EQ(lines[0], "epoch,loss_function,output,cost");
  for (std::size_t l = 1; l < lines.size(); ++l) {
    const auto fields = split(lines[l], ',');
    ASSERT_EQ(fields.size(), 4u) << lines[l];
    const bool is_mse = l <= 121;
    const std::size_t epoch = is_mse ? l - 1 : l - 122;
    EXPECT_EQ(fields[0], std::to_string(epoch));
    EXPECT_EQ(fields[1], is_mse ? "mse" : "bce");
    const NeuronTrajectory& t = is_mse ? mse : bce;
    EXPECT_EQ(std::stod(fields[2]), t.output[epoch]) << lines[l] << ": 17 digits round-trip";
    EXPECT_EQ(std::stod(fields[3]), t.cost[epoch]) << lines[l];
  }
}

TEST_F(CliTrain, BadOptionsExitTwoNamingTheProblem) {
  expect_bad_input({"--synthetic", "--loss", "foo"}, "unknown loss 'foo'");
  expect_bad_input({"--synthetic", "--batch", "0"}, "batch size must be >= 1");
  expect_bad_input({"--synthetic", "--epochs", "-1"}, "epochs must be >= 0");
  expect_bad_input({"--synthetic", "--lr", "0"}, "learning rate must be finite and > 0");
  expect_bad_input({"--synthetic", "--init", "xavier"}, "unknown initialisation 'xavier'");
  expect_bad_input({"--synthetic", "--lr-schedule", "cosine"}, "unknown learning-rate schedule 'cosine'");
  expect_bad_input({"--synthetic", "--backend", "tpu"}, "tpu");
  expect_bad_input({"--synthetic", "--limit", "0"}, "--limit must be >= 1");
  expect_bad_input({"--experiment", "dendrite"}, "unknown experiment 'dendrite'");
  expect_bad_input({"--experiment", "neuron", "--epochs", "-5"}, "epochs >= 0");
  expect_bad_input({"--synthetic", "--data", path("")}, "--data");  // the two exclude each other
  expect_bad_input({"--synthetic", "--csv", path("no/such/dir/curve.csv"), "--epochs", "1"}, "cannot open");
}

// A CSV that cannot be written whole (a file size limit stands in for a full
// disk) leaves the previous one, not a truncated one, and no temporary file.
TEST_F(CliTrain, AFailedCsvWriteLeavesTheOldCsv) {
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"--synthetic", "--epochs", "2"},
        std::vector<std::string>{"--experiment", "neuron", "--epochs", "10"}}) {
    const std::string csv = path("curve.csv");
    { std::ofstream(csv) << "old,csv\n"; }
    std::vector<std::string> args = command;
    args.insert(args.end(), {"--csv", csv});
    int status = 0;
    {
      test_support::FileSizeLimit limit(64);  // the header line alone is longer
      ASSERT_TRUE(limit.active());
      status = run(args);
    }
    EXPECT_EQ(status, cli::kExitBadInput) << command[0];
    EXPECT_NE(err_.str().find(csv + ": write error: File too large"), std::string::npos) << err_.str();
    EXPECT_EQ(dir_.contents(csv), "old,csv\n") << command[0];
    EXPECT_EQ(dir_.listing(), std::vector<std::string>{"curve.csv"}) << command[0];
  }
}

TEST_F(CliTrain, AnUnavailableBackendExitsOneBeforeLoadingData) {
  if (backend_availability(Backend::cuda).available) GTEST_SKIP() << "a GPU is usable here: cuda is available";
  EXPECT_EQ(run({"--synthetic", "--backend", "cuda"}), cli::kExitBackendError) << err_.str();
  EXPECT_NE(err_.str().find("backend cuda is not available"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "") << "nothing is loaded or printed for a backend that cannot run";
}

// Without --backend: the GPU when there is one, else the cpu backend (the
// reference only in a build whose cpu backend has no training step yet).
TEST_F(CliTrain, TheDefaultBackendIsTheGpuElseTheCpuBackend) {
  const Backend expected = backend_availability(Backend::cuda).available ? Backend::cuda
                           : has_train_step(Backend::cpu)                ? Backend::cpu
                                                                         : Backend::ref;
  ASSERT_EQ(run({"--synthetic", "--epochs", "1", "--limit", "128"}), cli::kExitOk) << err_.str();
  EXPECT_NE(out_.str().find(", backend " + std::string(to_string(expected)) + ", "), std::string::npos) << out_.str();
  ASSERT_EQ(run({"--help"}), cli::kExitOk);
  EXPECT_NE(out_.str().find("Default: cuda when a GPU is usable, else cpu"), std::string::npos) << out_.str();
}

TEST_F(CliTrain, TheCpuBackendIsAcceptedAndTrainsOrSaysWhyNotBeforeLoadingData) {
  const int status = run({"--synthetic", "--epochs", "1", "--limit", "128", "--backend", "cpu", "--threads", "2"});
  if (has_train_step(Backend::cpu)) {
    EXPECT_EQ(status, cli::kExitOk) << err_.str();
    EXPECT_NE(out_.str().find(", backend cpu, "), std::string::npos) << out_.str();
    EXPECT_EQ(table_rows(out_.str()).size(), 1u) << out_.str();
  } else {
    EXPECT_EQ(status, cli::kExitBackendError) << err_.str();
    EXPECT_NE(err_.str().find("backend cpu has no training step in this build"), std::string::npos) << err_.str();
    EXPECT_EQ(out_.str(), "") << "nothing is loaded or printed for a backend that cannot train";
  }
}

TEST_F(CliTrain, MissingDataDirectoryExitsTwo) {
  expect_bad_input({"--data", path("absent")}, path("absent") + " does not exist");
  expect_bad_input({"--data", dir_.path().string()}, "has no train-images-idx3-ubyte");
}

TEST_F(CliTrain, MalformedIdxFileExitsTwoNamingTheFile) {
  // A valid label file, and an image file that is garbage: no IDX magic.
  const std::string labels = std::string{0, 0, 8, 1, 0, 0, 0, 1} + std::string(1, '\3');
  for (const char* part : {"train", "t10k"}) {
    write_gzip(std::string(part) + "-labels-idx1-ubyte.gz", labels);
    write_gzip(std::string(part) + "-images-idx3-ubyte.gz", "this is not an IDX file");
  }
  expect_bad_input({"--data", dir_.path().string()}, path("train-images-idx3-ubyte.gz"));

  // A truncated one: the header promises 1 × 28 × 28 pixels and holds 10.
  std::string truncated = {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28};
  truncated += std::string(10, '\1');
  write_gzip("train-images-idx3-ubyte.gz", truncated);
  expect_bad_input({"--data", dir_.path().string()}, path("train-images-idx3-ubyte.gz"));
}

}  // namespace
}  // namespace lossbench
