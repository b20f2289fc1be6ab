#pragma once
// Which options of `lossbench loss` each loss takes, at the level of its API
// (fused_loss, softmax_loss, gaussian_nll). The finer rules within one API
// (--pos-weight is bce's, --z-loss needs class indices, batchmean is kl's)
// are that API's validate()'s, so that each rule has one home.
#include "command_loss.hpp"

namespace lossbench::cli {

/// The APIs behind `--loss`.
enum class LossFamily { fused, softmax, gaussian_nll };

/// fused for bce and mse, softmax for softmax-ce and kl, gaussian_nll for
/// gaussian-nll; InputError naming anything else.
LossFamily loss_family(const std::string& loss);

/// Throws InputError naming the first option given to a loss whose API does
/// not take it ("--var applies to --loss gaussian-nll only, not to --loss
/// kl"), or a required one missing (--var for gaussian-nll).
void require_options_apply(const LossCommandOptions& options);

}  // namespace lossbench::cli
