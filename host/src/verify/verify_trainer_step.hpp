#pragma once
// The trainer's call of the training step, verified: see
// TrainStepVerifyCase::trainer. Internal: verify_train_step_case() runs it.
#include "lossbench/core/backend.hpp"
#include "lossbench/verify/verify_train_step.hpp"

namespace lossbench::detail {

TrainStepVerifyResult verify_trainer_step_case(const TrainStepVerifyCase& config, Backend backend);

}  // namespace lossbench::detail
