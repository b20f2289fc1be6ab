#pragma once
// Rows of logits for verifying the softmax losses, ordinary and extreme (|z|
// up to 1e4, −inf but one or a few, all equal, one confident logit, far
// from 0): one generator for `lossbench verify` and the math's and kernels'
// tests.
#include <algorithm>
#include <cstddef>
#include <limits>
#include <random>
#include <vector>

namespace lossbench::detail {

inline constexpr float kMinusInf = -std::numeric_limits<float>::infinity();

enum class RowKind { normal, wide, minus_inf_but_one, minus_inf_but_few, equal, confident, far_from_zero };
inline constexpr RowKind kRowKinds[] = {RowKind::normal,    RowKind::wide,      RowKind::minus_inf_but_one,
                                        RowKind::minus_inf_but_few, RowKind::equal, RowKind::confident,
                                        RowKind::far_from_zero};

/// A row of v ≥ 1 logits of the kind; *finite_class, when given, a class
/// whose logit is finite (for a hard label that the loss keeps finite).
inline std::vector<float> make_row(RowKind kind, std::size_t v, std::mt19937_64& rng,
                                   std::size_t* finite_class = nullptr) {
  std::normal_distribution<float> normal(0.0f, 3.0f);
  std::uniform_real_distribution<float> wide(-1e4f, 1e4f);
  std::vector<float> z(v);
  for (float& x : z) x = normal(rng);
  const std::size_t chosen = std::uniform_int_distribution<std::size_t>(0, v - 1)(rng);
  switch (kind) {
    case RowKind::normal: break;
    case RowKind::wide:
      for (float& x : z) x = wide(rng);
      break;
    case RowKind::minus_inf_but_one: {
      const float keep = wide(rng);
      std::fill(z.begin(), z.end(), kMinusInf);
      z[chosen] = keep;
      break;
    }
    case RowKind::minus_inf_but_few:
      for (float& x : z) x = std::bernoulli_distribution(0.7)(rng) ? kMinusInf : x;
      z[chosen] = 1.5f;
      break;
    case RowKind::equal: std::fill(z.begin(), z.end(), 7.25f); break;
    case RowKind::confident: z[chosen] = 40.0f; break;
    case RowKind::far_from_zero:
      for (float& x : z) x += 1e4f;
      break;
  }
  if (finite_class != nullptr) *finite_class = chosen;
  return z;
}

}  // namespace lossbench::detail
