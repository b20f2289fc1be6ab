#include "lossbench/train/learning_rate_schedule.hpp"

#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench {

std::string_view to_string(LearningRateSchedule schedule) {
  return schedule == LearningRateSchedule::linear ? "linear" : "constant";
}

LearningRateSchedule parse_learning_rate_schedule(std::string_view name) {
  if (name == "constant") return LearningRateSchedule::constant;
  if (name == "linear") return LearningRateSchedule::linear;
  throw InputError("unknown learning-rate schedule '" + std::string(name) + "' (expected constant or linear)");
}

double scheduled_learning_rate(LearningRateSchedule schedule, double eta, std::size_t step, std::size_t steps) {
  if (schedule == LearningRateSchedule::constant) return eta;
  return eta * (1.0 - static_cast<double>(step) / static_cast<double>(steps));
}

}  // namespace lossbench
