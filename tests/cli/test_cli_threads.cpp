// `--threads N` on the commands that compute, in-process: validated (exit 2
// naming the option), documented in each command's help, without effect on
// the results (the same bits at 1, 2 and 3 threads), forgotten by the next
// run; and a bad LOSSBENCH_CPU_THREADS is bad input before any output, unless
// --threads makes it irrelevant.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli_fixture.hpp"
#include "common/test_directory.hpp"
#include "lossbench/core/cpu_threads.hpp"
#include "lossbench/data/npy.hpp"

namespace lossbench {
namespace {

class CliThreads : public testing::CliFixture {
 protected:
  void TearDown() override {
    ::unsetenv("LOSSBENCH_CPU_THREADS");
    set_cpu_threads(0);  // a run with --threads leaves its count set until the next run
  }

  std::string command_of(const std::vector<std::string>& args) const {
    std::string command;
    for (const auto& a : args) command += a + " ";
    return command;
  }

  // Random logits and 0/1 targets, n of them, as f32 .npy files.
  void write_inputs(std::int64_t n) {
    std::mt19937 rng(7);
    std::normal_distribution<float> logit(0.0f, 4.0f);
    std::vector<unsigned char> z(static_cast<std::size_t>(n) * sizeof(float)), y(z.size());
    for (std::int64_t i = 0; i < n; ++i) {
      store_from_double(z.data(), DType::f32, static_cast<std::size_t>(i), logit(rng));
      store_from_double(y.data(), DType::f32, static_cast<std::size_t>(i), static_cast<double>(rng() & 1));
    }
    npy::write(dir_ / "z.npy", npy::from_dtype(std::move(z), DType::f32, {n}));
    npy::write(dir_ / "y.npy", npy::from_dtype(std::move(y), DType::f32, {n}));
  }

  testing::TestDirectory dir_;
};

const std::vector<std::vector<std::string>> kComputingCommands = {
    {"loss", "--logits", "/nonexistent/z.npy", "--targets", "/nonexistent/y.npy", "--backend", "cpu"},
    {"verify", "--backend", "cpu", "--quick", "--filter", "bce/f32/mean/grad/"},
    {"bench", "--sizes", "4096", "--repeats", "1"},
    {"train", "--synthetic", "--epochs", "1"}};

TEST_F(CliThreads, OutsideOneTo1024IsBadInputNamingTheOption) {
  for (const auto& command : kComputingCommands) {
    for (const std::string n : {"0", "-1", "1025"}) {
      std::vector<std::string> args = command;
      args.insert(args.end(), {"--threads", n});
      EXPECT_EQ(run(args), cli::kExitBadInput) << command_of(args) << "\nstderr: " << err_.str();
      EXPECT_NE(err_.str().find("--threads must be in [1, 1024], got " + n), std::string::npos)
          << command_of(args) << "\nstderr: " << err_.str();
      EXPECT_EQ(out_.str(), "") << command_of(args) << ": nothing runs with a bad --threads";
    }
  }
  EXPECT_EQ(run({"verify", "--threads", "two"}), cli::kExitBadInput) << err_.str();
}

TEST_F(CliThreads, HelpSaysItIsTheCpuBackendsAndLeavesTheResultsAlone) {
  for (const auto& command : kComputingCommands) {
    ASSERT_EQ(run({command[0], "--help"}), cli::kExitOk) << command[0];
    const std::string help = out_.str();
    EXPECT_NE(help.find("--threads"), std::string::npos) << command[0] << ":\n" << help;
    EXPECT_NE(help.find("Threads of the cpu backend"), std::string::npos) << command[0] << ":\n" << help;
    EXPECT_NE(help.find("same bits for every N"), std::string::npos) << command[0] << ":\n" << help;
  }
  ASSERT_EQ(run({"machine", "--help"}), cli::kExitOk);
  EXPECT_EQ(out_.str().find("--threads"), std::string::npos) << "machine computes nothing:\n" << out_.str();
}

// 100003 elements: 13 tiles of the cpu backend, shared out differently at each count.
TEST_F(CliThreads, ResultsHaveTheSameBitsForEveryThreadCount) {
  write_inputs(100003);
  double first_loss = 0;
  std::vector<unsigned char> first_grad;
  for (const std::string threads : {"1", "2", "3"}) {
    const std::vector<std::string> args = {"loss", "--logits", (dir_ / "z.npy").string(), "--targets",
                                           (dir_ / "y.npy").string(), "--backend", "cpu", "--grad-out",
                                           (dir_ / "g.npy").string(), "--threads", threads};
    ASSERT_EQ(run(args), cli::kExitOk) << command_of(args) << "\nstderr: " << err_.str();
    const double loss = nlohmann::json::parse(out_.str())["loss"];  // printed with every digit, read back exactly
    const std::vector<unsigned char> grad = npy::read(dir_ / "g.npy").bytes;
    if (first_grad.empty()) {
      first_loss = loss;
      first_grad = grad;
      continue;
    }
    EXPECT_EQ(loss, first_loss) << "--threads " << threads;
    EXPECT_TRUE(grad == first_grad) << "--threads " << threads << ": the gradient differs from 1 thread's";
  }
}

TEST_F(CliThreads, TheNextRunStartsFromTheDefaultAgain) {
  const int default_threads = cpu_threads();
  ASSERT_EQ(run({"verify", "--backend", "cpu", "--quick", "--filter", "mse/f32/sum/grad/", "--threads", "3"}),
            cli::kExitOk)
      << out_.str();
  EXPECT_EQ(cpu_threads(), 3);
  ASSERT_EQ(run({"verify", "--backend", "cpu", "--quick", "--filter", "mse/f32/sum/grad/"}), cli::kExitOk);
  EXPECT_EQ(cpu_threads(), default_threads);
}

TEST_F(CliThreads, ABadEnvironmentValueIsBadInputBeforeAnyOutput) {
  ::setenv("LOSSBENCH_CPU_THREADS", "zero", 1);
  for (const auto& command : kComputingCommands) {
    EXPECT_EQ(run(command), cli::kExitBadInput) << command_of(command) << "\nstderr: " << err_.str();
    EXPECT_NE(err_.str().find("LOSSBENCH_CPU_THREADS='zero': expected an integer in [1, 1024]"), std::string::npos)
        << command_of(command) << "\nstderr: " << err_.str();
    EXPECT_EQ(out_.str(), "") << command_of(command);
  }
  // --threads wins, so the variable is never read.
  EXPECT_EQ(run({"verify", "--backend", "cpu", "--quick", "--filter", "mse/f32/sum/grad/", "--threads", "2"}),
            cli::kExitOk)
      << err_.str();
}

}  // namespace
}  // namespace lossbench
