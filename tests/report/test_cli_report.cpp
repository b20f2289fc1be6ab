// `lossbench report`'s options, in-process: bad ones exit 2 with a message
// naming the problem, before anything runs or is written. And `lossbench
// machine`, the report's first section, which says what the machine is.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <sstream>

#include "cli.hpp"
#include "common/test_directory.hpp"

namespace lossbench {
namespace {

class CliReport : public ::testing::Test {
 protected:
  int run(std::vector<std::string> args) {
    args.insert(args.begin(), "report");
    out_.str("");
    err_.str("");
    return cli::run(args, out_, err_);
  }
  void expect_bad_input(const std::vector<std::string>& args, const std::string& needle) {
    EXPECT_EQ(run(args), cli::kExitBadInput) << "stdout: " << out_.str() << "\nstderr: " << err_.str();
    EXPECT_NE(err_.str().find(needle), std::string::npos) << "stderr: " << err_.str() << "\nexpected: " << needle;
  }
  testing::TestDirectory dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CliReport, OutNamingAFileThatIsNotADirectoryExits2) {
  dir_.put("a_file", "not a directory");
  expect_bad_input({"--quick", "--out", (dir_ / "a_file").string()}, "exists and is not a directory");
  EXPECT_EQ(dir_.contents("a_file"), "not a directory") << "left as it was";
}

TEST_F(CliReport, OutThatCannotBeCreatedExits2) {
  dir_.put("a_file", "x");
  expect_bad_input({"--out", (dir_ / "a_file" / "below").string()}, "cannot create the directory");
}

TEST_F(CliReport, ANegativeOrZeroBudgetExits2) {
  expect_bad_input({"--out", (dir_ / "r").string(), "--budget", "-1"}, "--budget");
  expect_bad_input({"--out", (dir_ / "r").string(), "--budget", "0"}, "--budget must be a positive number");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "r")) << "nothing is created for bad options";
}

TEST_F(CliReport, ANonPositiveOrNaNTimeScaleExits2) {
  for (const char* scale : {"0", "-2", "nan"}) {
    expect_bad_input({"--out", (dir_ / "r").string(), "--time-scale", scale}, "--time-scale must be a positive number");
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "r")) << "nothing is created for bad options";
}

// --time-scale multiplies each section's own limit: at 0.01 every limit
// falls below the section's minimum, so none runs (in no time), and each
// says that its limit, not the budget, is why.
TEST_F(CliReport, TimeScaleMultipliesEverySectionsLimit) {
  const auto out = dir_ / "r";
  const std::string command = std::string("'") + LOSSBENCH_EXECUTABLE + "' report --quick --out '" + out.string() +
                              "' --budget 1000 --time-scale 0.01 >/dev/null 2>'" + (dir_ / "stderr").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command << "\n" << dir_.contents("stderr");
  EXPECT_NE(dir_.contents("stderr").find("section limits times 0.01"), std::string::npos) << dir_.contents("stderr");
  const nlohmann::json j = nlohmann::json::parse(dir_.contents("r/report.json"));
  EXPECT_EQ(j["budget_seconds"].get<double>(), 1000.0) << "an explicit --budget is not scaled";
  for (const char* section : {"machine", "verify", "bench_table", "loss_bench"}) {
    SCOPED_TRACE(section);
    EXPECT_EQ(j["sections"][section]["status"], "skipped");
    EXPECT_NE(j["sections"][section]["reason"].get<std::string>().find("its time limit, "), std::string::npos)
        << j["sections"][section]["reason"];
  }
}

TEST_F(CliReport, AnUnknownOptionExits2) { expect_bad_input({"--fast"}, "--fast"); }

TEST_F(CliReport, HelpListsTheOptions) {
  EXPECT_EQ(run({"--help"}), cli::kExitOk);
  for (const char* option : {"--out", "--quick", "--budget", "--time-scale"}) {
    EXPECT_NE(out_.str().find(option), std::string::npos) << out_.str();
  }
}

TEST_F(CliReport, MachineDescribesTheCpuAndTheGpuOrWhyThereIsNone) {
  const std::string file = (dir_ / "machine.json").string();
  ASSERT_EQ(cli::run({"machine", "--json", file}, out_, err_), cli::kExitOk) << err_.str();
  EXPECT_EQ(out_.str().rfind("cpu: ", 0), 0u) << out_.str();
  const nlohmann::json j = nlohmann::json::parse(dir_.contents("machine.json"));
  EXPECT_FALSE(j["cpu"]["model"].get<std::string>().empty());
  EXPECT_GE(j["cpu"]["logical_cores"].get<int>(), 1);
  EXPECT_GT(j["host_copy_bandwidth_GB_per_s"].get<double>(), 0.0);
  if (j["gpu"]["available"].get<bool>()) {
    EXPECT_FALSE(j["gpu"]["name"].get<std::string>().empty());
    EXPECT_GT(j["gpu"]["sm_count"].get<int>(), 0);
    EXPECT_GT(j["gpu"]["device_copy_bandwidth_GB_per_s"].get<double>(), 0.0);
  } else {
    EXPECT_FALSE(j["gpu"]["reason"].get<std::string>().empty()) << "no GPU, and it says why";
    EXPECT_NE(out_.str().find("gpu: none: "), std::string::npos) << out_.str();
  }
}

}  // namespace
}  // namespace lossbench
