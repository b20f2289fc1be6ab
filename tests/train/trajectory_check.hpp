#pragma once
// The trainer's steps, one at a time, on a backend (emu, cuda or cpu),
// each checked against the double-precision reference of the same step from
// the same parameters: the device-resident calls train() records (u8 or f32
// X, a shuffled order read through row indices, a step cursor, the SGD
// update in place with η from the call or from a table), over whole epochs. Shared by the emulated and GPU tests.
#include <cstdint>
#include <string>

#include "lossbench/core/backend.hpp"
#include "lossbench/core/loss_kind.hpp"
#include "lossbench/data/dataset.hpp"
#include "lossbench/train/learning_rate_schedule.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench::testing {

struct TrajectorySpec {
  Loss loss = Loss::bce;
  InputType input_type = InputType::u8;  // u8 needs data with pixels
  std::size_t batch = 64;
  int epochs = 2;
  float learning_rate = 0.1f;
  // linear: η from a table at the cursor (learning_rates), as the trainer's
  // default schedule fills it; constant: the call's scalar learning_rate.
  LearningRateSchedule schedule = LearningRateSchedule::constant;
  std::uint64_t seed = 1;  // the shuffles
  std::size_t input_offset = 0;  // elements X starts after an aligned address: 1 leaves the packed path
};

struct TrajectoryCheck {
  int steps = 0;
  int failed_steps = 0;
  double worst = 0.0;  // the largest error of W, b and L in units of its bound (≤ 1 passes)
  std::string first_failure;  // what, where, got, expected, bound
  double final_loss = 0.0;    // the last step's L
};

/// After every step: W and b within η·(the gradient's bound) + 1 ulp of
/// fma(−η, g_ref, W_before), L within its bound, the cursor advanced by one.
/// The next step starts from the backend's parameters, so errors do not
/// accumulate into the check.
TrajectoryCheck check_trajectory(Backend backend, const Dataset& data, const TrajectorySpec& spec);

/// A Fashion-MNIST-shaped data set of random pixels (about half zero) and labels.
Dataset random_pixel_dataset(std::size_t count, int d, int k, std::uint64_t seed);

}  // namespace lossbench::testing
