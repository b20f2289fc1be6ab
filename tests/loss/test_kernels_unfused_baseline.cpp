// The unfused baseline's kernels, emulated, against the reference, at
// logits where its from-probability formulas are accurate (|z| <= 8): a
// baseline that computed something else would make every speed-up a lie.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "lossbench/core/error.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"
#include "lossbench/loss/unfused_baseline.hpp"

namespace lossbench {
namespace {

TEST(KernelsUnfusedBaseline, MatchesTheReferenceForModerateLogits) {
  for (const Loss loss : {Loss::mse, Loss::bce}) {
    for (const Reduction reduction : {Reduction::mean, Reduction::sum}) {
      for (const std::int64_t n : {1, 257, 5000}) {
        std::mt19937 rng(static_cast<unsigned>(n));
        std::uniform_real_distribution<float> logit(-8.0f, 8.0f);
        std::vector<float> z(n), y(n), g(n, NAN);
        for (std::int64_t i = 0; i < n; ++i) {
          z[i] = logit(rng);
          y[i] = static_cast<float>(i % 2);
        }
        double reduced = NAN;
        FusedLossCall call;
        call.loss = loss;
        call.reduction = reduction;
        call.logits = z.data();
        call.targets = y.data();
        call.grad = g.data();
        call.reduced_loss = &reduced;
        call.n = n;
        UnfusedBaseline baseline(Backend::emu, call);
        baseline.run(call, nullptr);

        const reference::Result ref =
            reference::compute(loss, reduction, {z.data(), DType::f32, n}, {y.data(), DType::f32, n});
        SCOPED_TRACE(std::string(to_string(loss)) + " " + std::string(to_string(reduction)) + " n=" +
                     std::to_string(n));
        // Float intermediates and a float sum: a few float ulps, relative.
        EXPECT_NEAR(reduced, *ref.reduced_loss, 1e-5 * std::fabs(*ref.reduced_loss));
        for (std::int64_t i = 0; i < n; ++i) {
          const double multiplier = reduction == Reduction::mean ? 1.0 / static_cast<double>(n) : 1.0;
          // a(1 − a) and a − y from a rounded a: absolute error ~1e-7 of the terms.
          ASSERT_NEAR(g[i], ref.grad[i], 1e-6 * multiplier) << "element " << i << " z=" << z[i];
        }
      }
    }
  }
}

TEST(KernelsUnfusedBaseline, RefusesWhatItDoesNotCompute) {
  std::vector<float> z(4, 0.0f), y(4, 1.0f), l(4);
  FusedLossCall call;
  call.reduction = Reduction::none;
  call.logits = z.data();
  call.targets = y.data();
  call.elementwise_loss = l.data();
  call.n = 4;
  UnfusedBaseline baseline(Backend::emu, call);
  EXPECT_THROW(baseline.run(call, nullptr), InputError);
  // A backend without the facility says so, as a backend error naming both.
  try {
    UnfusedBaseline on_ref(Backend::ref, call);
    ADD_FAILURE() << "the ref backend has no unfused baseline, yet one was set up";
  } catch (const BackendError& e) {
    EXPECT_STREQ(e.what(), "backend ref cannot run the unfused baseline");
  }
}

}  // namespace
}  // namespace lossbench
