#pragma once
// How the trainer's learning rate moves over a run. SGD at a constant η ends
// wherever its last noisy steps left it (on Fashion-MNIST the test accuracy
// of a single layer swings by ±1% from epoch to epoch); letting η fall to
// zero over the run settles it (docs/plots/training/README.md measures both).
//
//   scheduled_learning_rate(LearningRateSchedule::linear, 0.5, s, steps);
#include <cstddef>
#include <string_view>

namespace lossbench {

/// constant: every step at η. linear: step s of S (0-based, counted over the
/// whole run) at η·(1 − s/S), from η at the first step down to η/S at the last.
enum class LearningRateSchedule { constant, linear };

std::string_view to_string(LearningRateSchedule schedule);
/// Parses "constant" | "linear"; throws InputError naming the bad value otherwise.
LearningRateSchedule parse_learning_rate_schedule(std::string_view name);

/// η at step `step` of a run of `steps` steps (step < steps), in double.
double scheduled_learning_rate(LearningRateSchedule schedule, double eta, std::size_t step, std::size_t steps);

}  // namespace lossbench
