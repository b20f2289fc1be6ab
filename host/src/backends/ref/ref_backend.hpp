#pragma once
// The ref backend: the double-precision reference on host memory. Internal.
#include "backends/backend_table.hpp"

namespace lossbench::detail {

void fused_loss_ref(const FusedLossCall& call, void* workspace, void* stream);
void softmax_loss_ref(const SoftmaxLossCall& call, void* workspace, void* stream);
void gaussian_nll_ref(const GaussianNllCall& call, void* workspace, void* stream);
void train_step_ref(const TrainStepCall& call, void* workspace, void* stream);
void evaluate_ref(const EvaluateCall& call, void* workspace, void* stream);

}  // namespace lossbench::detail
