#pragma once
// The runs of `lossbench loss`, one per C++ API: each reads its inputs,
// checks them, computes on the chosen backend, writes the requested outputs
// (all or none) and prints one line of JSON. Throws InputError on bad input,
// BackendError when the backend cannot run.
#include <ostream>

#include "command_loss.hpp"

namespace lossbench::cli {

/// bce and mse: fused_loss().
void run_fused_loss(const LossCommandOptions& options, std::ostream& out);
/// softmax-ce and kl: softmax_loss().
void run_softmax_loss(const LossCommandOptions& options, std::ostream& out);
/// gaussian-nll: gaussian_nll().
void run_gaussian_nll(const LossCommandOptions& options, std::ostream& out);

}  // namespace lossbench::cli
