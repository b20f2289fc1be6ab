#include "lossbench/core/loss_kind.hpp"

#include <limits>
#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench {

std::string_view to_string(Loss loss) {
  switch (loss) {
    case Loss::mse: return "mse";
    case Loss::bce: return "bce";
    case Loss::softmax_ce: return "softmax-ce";
  }
  return "unknown-loss";
}

bool is_elementwise(Loss loss) { return loss == Loss::mse || loss == Loss::bce; }

std::string_view to_string(Reduction reduction) {
  switch (reduction) {
    case Reduction::none: return "none";
    case Reduction::mean: return "mean";
    case Reduction::sum: return "sum";
  }
  return "unknown-reduction";
}

std::string_view to_string(Activation activation) {
  switch (activation) {
    case Activation::sigmoid: return "sigmoid";
    case Activation::identity: return "identity";
  }
  return "unknown-activation";
}

std::span<const ElementwiseLoss> elementwise_losses() {
  static constexpr ElementwiseLoss kLosses[] = {
      {Loss::mse, Activation::sigmoid}, {Loss::mse, Activation::identity}, {Loss::bce, Activation::sigmoid}};
  return kLosses;
}

std::string name_of(ElementwiseLoss loss) {
  std::string name(to_string(loss.loss));
  if (loss.activation != Activation::sigmoid) name += "-" + std::string(to_string(loss.activation));
  return name;
}

Loss parse_loss(std::string_view name) {
  if (name == "mse") return Loss::mse;
  if (name == "bce") return Loss::bce;
  if (name == "softmax-ce") return Loss::softmax_ce;
  throw InputError("unknown loss '" + std::string(name) + "': expected mse, bce or softmax-ce");
}

Reduction parse_reduction(std::string_view name) {
  if (name == "none") return Reduction::none;
  if (name == "mean") return Reduction::mean;
  if (name == "sum") return Reduction::sum;
  throw InputError("unknown reduction '" + std::string(name) + "': expected none, mean or sum");
}

Activation parse_activation(std::string_view name) {
  if (name == "sigmoid") return Activation::sigmoid;
  if (name == "identity") return Activation::identity;
  throw InputError("unknown activation '" + std::string(name) + "': expected sigmoid or identity");
}

double reduction_multiplier(Reduction reduction, std::int64_t n) {
  if (reduction != Reduction::mean) return 1.0;
  return n > 0 ? 1.0 / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
}

double gradient_multiplier(Reduction reduction, std::int64_t n, double grad_scale) {
  return reduction == Reduction::mean && n > 0 ? grad_scale / static_cast<double>(n) : grad_scale;
}

}  // namespace lossbench
