// `lossbench verify --backend cpu`, in-process: the fused loss's quick sweep
// passes on the cpu backend, with the bounds emu and cuda are held to; and
// the training step's cases run there too: they pass once the backend has
// the step, and until then each fails saying why, rather than being left out.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli_fixture.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench {
namespace {

class CliVerify : public testing::CliFixture {};

// Every loss case is named <loss>/<dtype>/<reduction>/...: the three
// reductions together are the whole fused-loss sweep (and the softmax and
// Gaussian NLL sweeps), and no training case.
TEST_F(CliVerify, CpuBackendPassesTheFusedLossSweep) {
  for (const std::string reduction : {"/none/", "/sum/", "/mean/"}) {
    ASSERT_EQ(run({"verify", "--backend", "cpu", "--quick", "--filter", reduction}), cli::kExitOk)
        << reduction << "\n" << out_.str() << err_.str();
    const std::string out = out_.str();
    EXPECT_EQ(out.rfind("lossbench verify on backend cpu: ", 0), 0u) << out;
    EXPECT_NE(out.find(" gaussian nll, 0 training step)"), std::string::npos) << out;
    EXPECT_NE(out.find("bf16" + reduction + "grad-inplace/off=1"), std::string::npos) << out;
    EXPECT_NE(out.find(" passed, 0 failed"), std::string::npos) << out;
  }
}

TEST_F(CliVerify, CpuBackendRunsTheTrainingStepCases) {
  const int status = run({"verify", "--backend", "cpu", "--quick", "--filter", "train/bce/n=9/"});
  const std::string out = out_.str();
  EXPECT_NE(out.find("(0 fused loss, "), std::string::npos) << out;
  EXPECT_EQ(out.find("left out"), std::string::npos) << "every standard shape is one the cpu backend must take:\n"
                                                      << out;
  if (has_train_step(Backend::cpu)) {
    EXPECT_EQ(status, cli::kExitOk) << out << err_.str();
    EXPECT_NE(out.find(" passed, 0 failed"), std::string::npos) << out;
  } else {
    EXPECT_EQ(status, cli::kExitVerificationFailed) << out << err_.str();
    const std::size_t line = out.find("\ntrain/bce/n=9/d=33/k=5/off=0/trainer ");
    ASSERT_NE(line, std::string::npos) << out;
    EXPECT_NE(out.substr(line, out.find('\n', line + 1) - line)
                  .find("FAIL: backend cpu has no training step in this build"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("\n0 passed, "), std::string::npos) << out;
  }
}

TEST_F(CliVerify, TheBackendListNamesCpu) {
  ASSERT_EQ(run({"verify", "--help"}), cli::kExitOk);
  EXPECT_NE(out_.str().find("cpu (SIMD + threads on the CPU)"), std::string::npos) << out_.str();
  EXPECT_EQ(run({"verify", "--backend", "tpu"}), cli::kExitBadInput);
}

}  // namespace
}  // namespace lossbench
