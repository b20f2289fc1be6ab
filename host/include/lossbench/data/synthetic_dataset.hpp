#pragma once
// A toy classification problem that needs no files: k Gaussian clusters in d
// dimensions, one per class, far enough apart (separation ≫ spread) that a
// linear classifier separates them almost surely. The built-in data when no
// Fashion-MNIST directory is present, and what tests train on.
#include <cstddef>
#include <cstdint>

#include "lossbench/data/dataset.hpp"

namespace lossbench {

struct SyntheticSpec {
  int d = 32;                    // inputs per example
  int k = 4;                     // classes
  std::size_t train_count = 2048;
  std::size_t test_count = 512;
  double spread = 0.1;           // standard deviation of each input around its class mean
  std::uint64_t seed = 1;
};

/// Class means uniform in [0, 1]^d (their distance, ~√(d/6), dwarfs the
/// spread), then each example's class uniform and its inputs mean + spread·N(0, 1).
/// The same spec gives the same bits on every platform. Throws InputError
/// for d or k < 1, k > 255, no examples, or a spread that is negative or not finite.
DatasetSplit make_synthetic_dataset(const SyntheticSpec& spec);

}  // namespace lossbench
