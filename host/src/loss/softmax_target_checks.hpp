#pragma once
// The check of a call's class indices, shared by validate_softmax_targets()
// and softmax_loss() on backends whose memory the host can read. Internal.
#include "lossbench/loss/softmax_loss.hpp"

namespace lossbench::detail {

/// Throws InputError naming the first row whose class index is outside
/// [0, classes) and is not ignore_index. Reads call.targets on the host;
/// nothing to do for probability targets.
void require_class_indices_in_range(const SoftmaxLossCall& call);

}  // namespace lossbench::detail
