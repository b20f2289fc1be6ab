// The sweep of softmax_loss() cases that `lossbench verify` runs.
#include <cstdint>
#include <utility>
#include <vector>

#include "lossbench/verify/verify_softmax.hpp"

namespace lossbench {
namespace {

// Rows per case for a row length: around the small-rows kernel's tile of
// 1024 rows for V ≤ 33, a few rows where a row is long. The quick sweep (the
// emulator's, also under the sanitizers) keeps one tile: the kernels' own
// tests cross tiles.
std::vector<std::int64_t> rows_for(std::int64_t classes, bool quick) {
  if (classes <= 33) return quick ? std::vector<std::int64_t>{1, 129} : std::vector<std::int64_t>{1, 1025, 2500};
  if (classes <= 1000) return quick ? std::vector<std::int64_t>{3, 17} : std::vector<std::int64_t>{3, 65};
  if (classes <= 4097) return quick ? std::vector<std::int64_t>{2, 5} : std::vector<std::int64_t>{2, 9};
  return {2};
}

struct Flavor {
  SoftmaxLoss loss;
  SoftmaxTargets targets;
};

}  // namespace

std::vector<SoftmaxVerifyCase> standard_softmax_verify_cases(bool quick, std::uint64_t seed) {
  std::vector<std::int64_t> widths = {1, 2, 10, 31, 32, 33, 1000, 4097};
  if (!quick) {
    widths.push_back(32768);
    widths.push_back(131072);
  }
  const Flavor flavors[] = {{SoftmaxLoss::cross_entropy, SoftmaxTargets::class_index_i64},
                            {SoftmaxLoss::cross_entropy, SoftmaxTargets::class_index_i32},
                            {SoftmaxLoss::cross_entropy, SoftmaxTargets::probabilities},
                            {SoftmaxLoss::kl, SoftmaxTargets::probabilities}};
  const SoftmaxReduction ce_reductions[] = {SoftmaxReduction::mean, SoftmaxReduction::sum, SoftmaxReduction::none};
  const SoftmaxReduction kl_reductions[] = {SoftmaxReduction::batchmean, SoftmaxReduction::mean,
                                            SoftmaxReduction::sum, SoftmaxReduction::none};
  std::vector<SoftmaxVerifyCase> cases;
  // The options cycle with the case's index, so that across a width every
  // reduction, ε, z-loss, in place, entropy, grad scale and offset appear.
  int index = 0;
  const auto add = [&](std::int64_t classes, std::int64_t rows, DType dtype, const Flavor& flavor) {
    SoftmaxVerifyCase c;
    c.loss = flavor.loss;
    c.targets = flavor.targets;
    c.reduction = flavor.loss == SoftmaxLoss::kl ? kl_reductions[index % 4] : ce_reductions[index % 3];
    c.dtype = dtype;
    c.rows = rows;
    c.classes = classes;
    const bool hard = flavor.targets != SoftmaxTargets::probabilities;
    if (flavor.loss == SoftmaxLoss::cross_entropy && index / 3 % 2 == 1) c.label_smoothing = 0.1f;
    if (hard && index / 2 % 3 == 1) c.z_loss = 1e-4f;
    c.grad = index % 7 != 3;
    c.in_place = c.grad && index % 4 == 2;
    c.entropy = index % 3 != 1;
    c.grad_scale = index % 5 == 4 ? 0.5f : 1.0f;
    c.offset = index / 4 % 2;
    c.seed = seed + static_cast<std::uint64_t>(index);
    cases.push_back(c);
    ++index;
  };
  for (const std::int64_t classes : widths) {
    for (const std::int64_t rows : rows_for(classes, quick)) {
      for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
        for (const Flavor& flavor : flavors) add(classes, rows, dtype, flavor);
      }
    }
  }
  // Class weights (PyTorch's `weight`) on cross-entropy at every row length
  // (so every kernel regime), both target kinds, each dtype in turn; the
  // options cycle as above, z-loss aside (it takes no weights).
  const Flavor weighted[] = {flavors[0], flavors[1], flavors[2]};
  const DType dtypes[] = {DType::f32, DType::f16, DType::bf16};
  int weighted_index = 0;
  for (const std::int64_t classes : widths) {
    for (const std::int64_t rows : rows_for(classes, quick)) {
      for (const Flavor& flavor : weighted) {
        add(classes, rows, dtypes[weighted_index++ % 3], flavor);
        cases.back().class_weight = true;
        cases.back().z_loss = 0.0f;
      }
    }
  }
  // No rows at all: a sum of 0, a mean of nothing (NaN).
  add(10, 0, DType::f32, flavors[0]);
  add(10, 0, DType::f32, flavors[3]);
  return cases;
}

}  // namespace lossbench
