#pragma once
// Checks of the trainer that every backend must pass in the same words
// (emu, cpu; the GPU test takes what it can run): data sets of random
// pixels, and u8 pixels training to the same bits as their float values.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>

#include "lossbench/core/backend.hpp"
#include "lossbench/data/dataset.hpp"
#include "lossbench/train/trainer.hpp"
#include "train/trajectory_check.hpp"

namespace lossbench::testing {

/// A training set of `train_count` random-pixel rows and a test set of `test_count`.
inline DatasetSplit random_pixel_split(std::size_t train_count, std::size_t test_count, int d, int k,
                                       std::uint64_t seed) {
  DatasetSplit split;
  split.train = random_pixel_dataset(train_count, d, k, seed);
  split.test = random_pixel_dataset(test_count, d, k, seed + 1);
  return split;
}

/// X as u8 pixels and X as their float values (v/255) train to the same
/// bits: the kernel's conversion is the one the floats were made with.
inline void expect_pixels_and_floats_train_alike(Backend backend, std::uint64_t seed) {
  const DatasetSplit data = random_pixel_split(512, 256, 40, 5, seed);
  TrainerOptions options;
  options.backend = backend;
  options.epochs = 2;
  options.batch = 50;
  options.input_type = InputType::u8;
  const TrainingResult u8 = train(options, data.train, data.test);
  options.input_type = InputType::f32;
  const TrainingResult f32 = train(options, data.train, data.test);
  EXPECT_EQ(u8.model.weights, f32.model.weights) << to_string(backend);
  EXPECT_EQ(u8.model.bias, f32.model.bias) << to_string(backend);
  for (std::size_t e = 0; e < u8.epochs.size(); ++e) {
    EXPECT_EQ(u8.epochs[e].train_loss, f32.epochs[e].train_loss) << to_string(backend) << " epoch " << e + 1;
    EXPECT_EQ(u8.epochs[e].test_loss, f32.epochs[e].test_loss) << to_string(backend) << " epoch " << e + 1;
  }
}

}  // namespace lossbench::testing
