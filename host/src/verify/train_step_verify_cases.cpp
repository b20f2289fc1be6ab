// The training step's verification sweep: which shapes, and why.
#include <cstdint>
#include <vector>

#include "lossbench/verify/verify_train_step.hpp"

namespace lossbench {
namespace {

struct Shape {
  std::int64_t n;
  int d;
  int k;
  bool in_quick;
};

// n: one row, the 8-row tile ± 1, the 64-row block minimum ± 1, several
// blocks with a partial last tile, the 256-block cap (16385 = 256 · 64 + 1).
// d: 1, around the float4 width, around the 32 lanes and the 256 columns a
// thread steps over, Fashion-MNIST's 784, the maximum and one below.
// k: every compiled capacity (1, 2, 4, 8, 10, 12, 16) and the values just
// above one (3, 5, 9, 11, 13), which run padded. The emulator takes about
// 0.45 ms per row per run (whatever d and k), so quick leaves out the
// largest batches: 16385 rows take 14 s a case there.
constexpr Shape kShapes[] = {
    {1, 1, 1, true},      {1, 784, 10, true},     {7, 4, 2, true},        {8, 3, 3, true},
    {9, 5, 4, true},      {9, 33, 5, true},       {63, 31, 8, true},      {64, 32, 9, true},
    {65, 257, 10, true},  {63, 256, 11, true},    {64, 255, 12, true},    {65, 1023, 13, true},
    {65, 1, 12, true},    {8, 1024, 8, true},     {77, 513, 16, true},    {1003, 5, 16, true},
    {300, 1024, 16, false}, {1003, 129, 1, false}, {1003, 784, 10, false}, {16385, 4, 2, false},
};

constexpr std::int64_t kTrainStepBlockCapRows = 256 * 64;

// A batch of mostly saturated logits: how MSE's gradient vanishes (and, for
// softmax-ce, rows whose softmax is nearly one-hot: p_j underflowing).
constexpr Shape kSaturatedShape{150, 97, 10, true};

// The trainer's call: rows not a multiple of 4 pixels (element by element),
// Fashion-MNIST's shape in one block, and over several blocks.
constexpr Shape kTrainerShapes[] = {{9, 33, 5, true}, {65, 784, 10, true}, {1003, 784, 10, false}};

}  // namespace

void append_train_step_verify_cases(std::vector<TrainStepVerifyCase>& cases, std::int64_t n, int d, int k,
                                    std::initializer_list<Loss> losses, bool saturated, std::uint64_t seed,
                                    bool trainer) {
  for (const Loss loss : losses) {
    for (const int x_offset : {0, 1}) {
      TrainStepVerifyCase c;
      c.loss = loss;
      c.n = n;
      c.d = d;
      c.k = k;
      c.x_offset = x_offset;
      c.saturated = saturated;
      c.trainer = trainer;
      c.seed = seed + cases.size();
      cases.push_back(c);
    }
  }
}

std::vector<TrainStepVerifyCase> standard_train_step_verify_cases(bool quick, std::uint64_t seed) {
  std::vector<TrainStepVerifyCase> cases;
  for (const Shape& s : kShapes) {
    if (quick && !s.in_quick) continue;
    // The block cap is about the partition, which the loss does not
    // change: one loss there keeps the main job's emulated run short.
    if (s.n > kTrainStepBlockCapRows) {
      append_train_step_verify_cases(cases, s.n, s.d, s.k, {Loss::bce}, false, seed);
    } else {
      append_train_step_verify_cases(cases, s.n, s.d, s.k, {Loss::mse, Loss::bce, Loss::softmax_ce}, false, seed);
    }
  }
  const Shape& t = kSaturatedShape;
  append_train_step_verify_cases(cases, t.n, t.d, t.k, {Loss::mse, Loss::bce, Loss::softmax_ce}, true, seed);
  for (const Shape& s : kTrainerShapes) {
    if (quick && !s.in_quick) continue;
    append_train_step_verify_cases(cases, s.n, s.d, s.k, {Loss::mse, Loss::bce, Loss::softmax_ce}, false, seed,
                                   /*trainer=*/true);
  }
  return cases;
}

}  // namespace lossbench
