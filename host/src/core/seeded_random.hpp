#pragma once
// Random numbers that are the same for a seed on every platform. The
// standard engines are specified bit for bit, but std::uniform_int_distribution,
// std::normal_distribution and std::shuffle are not (libstdc++ and libc++
// differ), so the few draws lossbench needs are written out here. Internal.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

namespace lossbench::detail {

class SeededRandom {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}

  /// Uniform in [0, 1), from the top 53 bits of one draw.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  /// Uniform in [0, bound), bound ≥ 1, by rejection: no modulo bias.
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    std::uint64_t draw = engine_();
    while (draw >= limit) draw = engine_();
    return draw % bound;
  }

  /// Standard normal, by Box–Muller (one value per two uniforms; simple, and
  /// speed does not matter for initialising a model or a toy data set).
  double normal() {
    const double u1 = 1.0 - uniform();  // in (0, 1]: log(u1) is finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

  /// Fisher–Yates shuffle of `order`.
  template <typename T>
  void shuffle(std::vector<T>& order) {
    for (std::size_t i = order.size(); i > 1; --i) {
      std::swap(order[i - 1], order[static_cast<std::size_t>(below(i))]);
    }
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace lossbench::detail
