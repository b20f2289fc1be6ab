#pragma once
// The unfused baseline's test cases and checks, one loop for the emulated
// test (test_kernels_unfused_baseline.cpp) and the GPU test
// (test_gpu_unfused_baseline.cpp): the same cases, the same bounds.
//
// Every speed-up `lossbench bench` reports is measured against this
// baseline, so it must compute what it claims: PyTorch's
// BCELoss(sigmoid(z)) / MSELoss(sigmoid(z)) chain, a = σ(z) rounded to the
// storage type T, the loss from a (BCE's logarithms clamped at −100), a float
// sum, and the gradient from the rounded a. Three checks per case
// (unfused_baseline_cases.cpp derives every bound):
//   1. against a double-precision model of that chain, at every logit up to
//      |z| = 1e4: every gradient element and the reduced loss;
//   2. against the true reference (reference::compute), for moderate logits
//      (|z| <= 8), within what rounding a to T costs;
//   3. every gradient element written (NaN-poisoned first), nothing written
//      around it, nothing NaN, and a second run gives the same bits.
//
// What the baseline gets wrong, and the fused kernel does not, at saturated
// logits (the model's numbers, checked by check 1 and by the tests'
// SaturatedLogits cases; the fused kernel matches the reference there):
//   - BCE loss is capped at 100 per element by the clamp: z = −1e4, y = 1
//     gives 100 instead of 1e4, and so does z = +1e4, y = 0.
//   - Worse, once a rounds to 1 (z >= ~17 in f32, ~8.3 in f16, ~6.2 in bf16)
//     the clamp *creates* that 100: z = 30, y = 0 gives 100 instead of 30;
//     z = 10, y = 0 in bf16 gives 100 instead of 10.
//   - Below that, 1 − a keeps only T's absolute precision: in f16 at z = 8,
//     1 − a = 2^-11 instead of 3.4e-4, so ln(1 − a) is off by 0.38.
//   - MSE gradient (a − y)·a(1 − a) is exactly 0 once a rounds to 1 (or 0):
//     for y = 0 at z = 30 (f32) the true gradient is 9.4e-14, at z = 9 (f16)
//     it is 1.2e-4; the saturated neuron the README's MSE story is about
//     gets no gradient at all.
//   - BCE gradient a − y is 0 instead of −σ(−z) for y = 1 once a rounds to 1
//     (a tiny absolute error; the fused kernel forms it as (1 − y) − σ(−z)).
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/dtype.hpp"
#include "lossbench/core/loss_kind.hpp"

namespace lossbench {
/// How GoogleTest prints a DType parameter (found by argument-dependent lookup).
inline void PrintTo(DType dtype, std::ostream* os) { *os << to_string(dtype); }
}  // namespace lossbench

namespace lossbench::test {

enum class Labels { hard, soft };         // y in {0, 1}, or y uniform in [0, 1]
enum class Logits { moderate, extreme };  // |z| <= 8, or a mix up to |z| = 1e4

struct UnfusedCase {
  Loss loss = Loss::bce;
  Reduction reduction = Reduction::mean;
  DType dtype = DType::f32;
  Labels labels = Labels::hard;
  Logits logits = Logits::moderate;
  std::int64_t n = 1;
  std::uint64_t seed = 1;

  std::string name() const;  // e.g. "bce/mean/f16/soft/extreme/n=257"
};

/// Both losses × mean and sum × hard and soft labels × moderate and extreme
/// logits × n in {1, 255, 256, 257, 4097, 10^5 + 3}, for one dtype: 96
/// cases (about 1 s per dtype emulated).
std::vector<UnfusedCase> unfused_baseline_cases(DType dtype);

/// What one case found.
struct UnfusedCaseResult {
  std::int64_t failures = 0;          // every failed check, counted
  std::vector<std::string> problems;  // the first few, each with element, values and bound

  bool passed() const { return failures == 0; }
  std::string report() const;
};

/// Runs the case's inputs through UnfusedBaseline on `backend` (emu or
/// cuda) twice and applies checks 1-3.
UnfusedCaseResult run_unfused_case(const UnfusedCase& c, Backend backend);

/// One run of the baseline on `backend` with these inputs (given as doubles,
/// rounded once to dtype), gradient included: what the SaturatedLogits tests
/// look at.
struct BaselineRun {
  double reduced_loss = 0.0;
  std::vector<double> grad;
};
BaselineRun run_baseline(Backend backend, Loss loss, Reduction reduction, DType dtype, const std::vector<double>& z,
                         const std::vector<double>& y);

}  // namespace lossbench::test
