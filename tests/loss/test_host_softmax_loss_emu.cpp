// softmax_loss() on the emu backend (the cuda kernels and launcher, run by
// the emulator) against the double-precision reference, through the public
// API: the quick verify sweep (bounds, every element written, nothing
// outside, the same bits twice), and the ref backend through the same
// checks (the checks themselves must accept the reference).
#include <gtest/gtest.h>

#include <string>

#include "lossbench/verify/verify_softmax.hpp"

namespace lossbench {
namespace {

// One slice of the quick sweep per test, so that ctest names the slice that fails.
void verify_slice(Backend backend, const std::string& prefix) {
  int ran = 0;
  for (const SoftmaxVerifyCase& c : standard_softmax_verify_cases(/*quick=*/true, /*seed=*/20261201)) {
    if (c.name().rfind(prefix, 0) != 0) continue;
    const SoftmaxVerifyResult r = verify_softmax_case(c, backend);
    ++ran;
    EXPECT_TRUE(r.passed()) << c.name() << " seed=" << c.seed << " (grad err " << r.grad_error << ", loss err "
                            << r.loss_error << ", entropy err " << r.entropy_error << "):\n"
                            << r.log.report();
  }
  EXPECT_GT(ran, 20) << "the sweep has no cases for " << prefix;
}

TEST(EmuSoftmaxLoss, HardLabelsInt64MatchReference) { verify_slice(Backend::emu, "ce-i64/"); }
TEST(EmuSoftmaxLoss, HardLabelsInt32MatchReference) { verify_slice(Backend::emu, "ce-i32/"); }
TEST(EmuSoftmaxLoss, ProbabilityRowsMatchReference) { verify_slice(Backend::emu, "ce-soft/"); }
TEST(EmuSoftmaxLoss, KlMatchesReference) { verify_slice(Backend::emu, "kl/"); }
TEST(RefSoftmaxLoss, PassesItsOwnVerification) {
  for (const char* prefix : {"ce-i64/", "ce-soft/", "kl/"}) verify_slice(Backend::ref, prefix);
}

}  // namespace
}  // namespace lossbench
