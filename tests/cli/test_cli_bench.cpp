// `lossbench bench`, in-process: the cpu backend has its rows beside the
// double-precision reference's, each labelled; the speed-up columns compare
// the GPU's rows with the cpu backend and with the reference, and the cpu
// backend's with the reference; without a GPU the table is the cpu backend
// against the reference, and says so.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_fixture.hpp"
#include "lossbench/core/backend.hpp"

namespace lossbench {
namespace {

class CliBench : public testing::CliFixture {};

TEST_F(CliBench, JsonHasCpuBackendRowsComparedWithTheReference) {
  ASSERT_EQ(run({"bench", "--sizes", "4096", "100000", "--repeats", "1", "--json", "--threads", "2"}), cli::kExitOk)
      << err_.str();
  const bool gpu = backend_availability(Backend::cuda).available;
  std::set<std::string> kernels;
  std::set<std::string> losses;
  for (const auto& row : nlohmann::json::parse(out_.str())) {
    const std::string kernel = row["kernel"];
    kernels.insert(kernel);
    losses.insert(row["loss"].get<std::string>());
    if (row["loss"] == "bce+weight" && row["n"] == 4096 && row["dtype"] == "f32") {
      // z, y, w read and g written (16 bytes an element), the tile partials written and read (8).
      EXPECT_EQ(row["bytes"], 16 * 4096 + 8) << row.dump();
    }
    const double seconds = row["seconds"];
    if (kernel == "cpu_fused") {
      // The reference runs at these sizes, so the cpu backend has its speed-up over it.
      ASSERT_TRUE(row["speedup_vs_cpu_reference"].is_number()) << row.dump();
      EXPECT_GT(row["speedup_vs_cpu_reference"].get<double>(), 0.0) << row.dump();
      EXPECT_TRUE(row["speedup_vs_cpu"].is_null()) << row.dump();
      EXPECT_TRUE(row["speedup_vs_unfused"].is_null()) << row.dump();
    }
    if (kernel == "cpu_reference") {
      EXPECT_TRUE(row["speedup_vs_cpu"].is_null() && row["speedup_vs_cpu_reference"].is_null()) << row.dump();
    }
    if (kernel == "fused" || kernel == "unfused_baseline") {
      ASSERT_TRUE(row["speedup_vs_cpu"].is_number()) << row.dump();
      EXPECT_GT(row["speedup_vs_cpu"].get<double>(), 0.0) << row.dump();
    }
    EXPECT_GT(seconds, 0.0) << row.dump();
  }
  const std::set<std::string> expected =
      gpu ? std::set<std::string>{"fused", "unfused_baseline", "cpu_fused", "cpu_reference"}
          : std::set<std::string>{"cpu_fused", "cpu_reference"};
  EXPECT_EQ(kernels, expected);
  EXPECT_EQ(losses, (std::set<std::string>{"bce", "mse", "mse-identity", "bce+weight"}));
}

TEST_F(CliBench, TableLabelsEachRowAndEachSpeedUp) {
  ASSERT_EQ(run({"bench", "--sizes", "4096", "--repeats", "1"}), cli::kExitOk) << err_.str();
  const std::string out = out_.str();
  for (const std::string needle :
       {"cpu_fused: the cpu backend, ", "cpu_reference: the double-precision reference", "vs unfused",
        "    vs cpu    vs ref\n", "\ncpu_fused        bce          f32         4096 ",
        "\ncpu_reference    bce          f32         4096 ", "\ncpu_fused        mse-identity f32         4096 ",
        "\ncpu_fused        bce+weight   bf16        4096 "}) {
    EXPECT_NE(out.find(needle), std::string::npos) << "missing '" << needle << "' in:\n" << out;
  }
  if (!backend_availability(Backend::cuda).available) {
    EXPECT_NE(out.find("the cpu backend and the CPU reference only"), std::string::npos) << out;
  }
}

TEST_F(CliBench, TheReferenceIsLeftOutAboveItsCapAndTheCpuBackendIsNot) {
  // 2^22 + 1: one element past the reference's cap (~0.5 s for the cpu backend's rows here).
  ASSERT_EQ(run({"bench", "--sizes", "4194305", "--repeats", "1", "--json"}), cli::kExitOk) << err_.str();
  for (const auto& row : nlohmann::json::parse(out_.str())) {
    EXPECT_NE(row["kernel"], "cpu_reference") << row.dump();
    EXPECT_TRUE(row["speedup_vs_cpu_reference"].is_null()) << row.dump();
  }
}

}  // namespace
}  // namespace lossbench
