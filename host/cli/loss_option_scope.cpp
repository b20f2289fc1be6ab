#include "loss_option_scope.hpp"

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "lossbench/core/error.hpp"

namespace lossbench::cli {
namespace {

// An option and how to tell that it was given: a value other than its
// default (LossCommandOptions), as the APIs judge their own options.
struct ScopedOption {
  const char* flag;
  std::function<bool(const LossCommandOptions&)> given;
  LossFamily family;   // the one API that takes it
  const char* losses;  // the --loss values that take it, for the message (the API checks within its family)
};

const std::vector<ScopedOption>& scoped_options() {
  static const std::vector<ScopedOption> table = {
      {"--pos-weight", [](const auto& o) { return o.pos_weight != 1.0f || !o.pos_weight_path.empty(); },
       LossFamily::fused, "bce"},
      {"--weight", [](const auto& o) { return !o.weight_path.empty(); }, LossFamily::fused, "bce or mse"},
      {"--activation", [](const auto& o) { return o.activation != "sigmoid"; }, LossFamily::fused, "mse"},
      {"--label-smoothing", [](const auto& o) { return o.label_smoothing != 0.0f; }, LossFamily::softmax,
       "softmax-ce"},
      {"--ignore-index", [](const auto& o) { return o.ignore_index != -100; }, LossFamily::softmax, "softmax-ce"},
      {"--z-loss", [](const auto& o) { return o.z_loss != 0.0f; }, LossFamily::softmax, "softmax-ce"},
      {"--class-weight", [](const auto& o) { return !o.class_weight_path.empty(); }, LossFamily::softmax,
       "softmax-ce"},
      {"--entropy-out", [](const auto& o) { return !o.entropy_out_path.empty(); }, LossFamily::softmax,
       "softmax-ce or kl"},
      {"--reduction batchmean", [](const auto& o) { return o.reduction == "batchmean"; }, LossFamily::softmax,
       "kl"},
      {"--var", [](const auto& o) { return !o.var_path.empty(); }, LossFamily::gaussian_nll, "gaussian-nll"},
      {"--var-grad-out", [](const auto& o) { return !o.var_grad_out_path.empty(); }, LossFamily::gaussian_nll,
       "gaussian-nll"},
      {"--eps", [](const auto& o) { return o.eps != 1e-6f; }, LossFamily::gaussian_nll, "gaussian-nll"},
      {"--full", [](const auto& o) { return o.full; }, LossFamily::gaussian_nll, "gaussian-nll"},
  };
  return table;
}

}  // namespace

LossFamily loss_family(const std::string& loss) {
  if (loss == "bce" || loss == "mse") return LossFamily::fused;
  if (loss == "softmax-ce" || loss == "kl") return LossFamily::softmax;
  if (loss == "gaussian-nll") return LossFamily::gaussian_nll;
  throw InputError("unknown loss '" + loss + "': expected bce, mse, softmax-ce, kl or gaussian-nll");
}

void require_options_apply(const LossCommandOptions& options) {
  const LossFamily family = loss_family(options.loss);
  for (const ScopedOption& option : scoped_options()) {
    if (option.family != family && option.given(options)) {
      throw InputError(std::string(option.flag) + " applies to --loss " + option.losses + " only, not to --loss " +
                       options.loss);
    }
  }
  if (family == LossFamily::gaussian_nll && options.var_path.empty()) {
    throw InputError("--loss gaussian-nll needs --var: the variances, a .npy of the logits' (μ's) shape");
  }
}

}  // namespace lossbench::cli
