// Argument checks of a FusedLossCall, and the workspace a shape needs.
#include <cmath>
#include <cstdint>
#include <string>
#include <tuple>

#include "backends/backend_table.hpp"
#include "core/argument_checks.hpp"
#include "lossbench/loss/fused_loss.hpp"

namespace lossbench {
namespace {

using detail::ByteRange;
constexpr auto range_of = detail::byte_range;

void require(bool condition, const std::string& message) { detail::require(condition, "fused_loss", message); }

}  // namespace

void validate(const FusedLossCall& call) {
  require(call.loss != Loss::softmax_ce,
          "softmax-ce is not an elementwise loss (its loss and gradient need a whole row of logits): fused_loss "
          "computes mse and bce; softmax_loss (softmax_loss.hpp) computes softmax cross-entropy");
  require(is_elementwise(call.loss),
          "unknown loss value " + std::to_string(static_cast<int>(call.loss)) + " (expected mse or bce)");
  require(call.reduction == Reduction::none || call.reduction == Reduction::mean || call.reduction == Reduction::sum,
          "unknown reduction value " + std::to_string(static_cast<int>(call.reduction)));
  require(call.dtype == DType::f32 || call.dtype == DType::f16 || call.dtype == DType::bf16,
          "unknown dtype value " + std::to_string(static_cast<int>(call.dtype)));
  require(call.activation == Activation::sigmoid || call.activation == Activation::identity,
          "unknown activation value " + std::to_string(static_cast<int>(call.activation)));
  require(call.loss == Loss::mse || call.activation == Activation::sigmoid,
          "activation identity applies to mse only (bce is defined on logits through the sigmoid)");
  require(call.n >= 0, "n must be >= 0, got " + std::to_string(call.n));
  if (call.n > 0) {
    require(call.logits != nullptr, "logits is null with n = " + std::to_string(call.n));
    require(call.targets != nullptr, "targets is null with n = " + std::to_string(call.n));
  }
  const bool reduces = call.reduction != Reduction::none;
  require(!reduces || call.reduced_loss != nullptr,
          "reduced_loss is null but reduction " + std::string(to_string(call.reduction)) + " needs it");
  require(reduces || call.reduced_loss == nullptr, "reduced_loss is set but reduction none writes no reduced loss");
  require(reduces ? call.elementwise_loss == nullptr : true,
          "elementwise_loss is set but only reduction none writes per-element losses");
  require(call.loss == Loss::bce || call.pos_weight == 1.0f,
          "pos_weight applies to bce only, got " + std::to_string(call.pos_weight) + " with mse");
  require(call.pos_weight >= 0.0f && std::isfinite(call.pos_weight),
          "pos_weight must be finite and >= 0, got " + std::to_string(call.pos_weight));
  require(std::isfinite(call.grad_scale), "grad_scale must be finite, got " + std::to_string(call.grad_scale));
  require(call.pos_weights == nullptr || call.loss == Loss::bce, "pos_weights applies to bce only");
  require(call.pos_weights == nullptr || call.pos_weight == 1.0f,
          "pos_weights and a scalar pos_weight of " + std::to_string(call.pos_weight) +
              " are both given: give one");
  const auto check_layout = [&](const void* data, const BroadcastLayout& layout, const char* name) {
    if (data == nullptr || call.n == 0) return;
    require(layout.axes >= 0 && layout.axes <= BroadcastLayout::kMaxAxes,
            std::string(name) + "_layout has " + std::to_string(layout.axes) + " axes (expected 0 to " +
                std::to_string(BroadcastLayout::kMaxAxes) + ")");
    for (int a = 0; a < layout.axes; ++a) {
      require(layout.extent[a] >= 1 && layout.stride[a] >= 0,
              std::string(name) + "_layout axis " + std::to_string(a) + " has extent " +
                  std::to_string(layout.extent[a]) + " and stride " + std::to_string(layout.stride[a]) +
                  " (expected >= 1 and >= 0)");
    }
    require(layout.axes == 0 || broadcast_input_elements(layout) == call.n,
            std::string(name) + "_layout describes " + std::to_string(broadcast_input_elements(layout)) +
                " elements, the call has n = " + std::to_string(call.n));
  };
  check_layout(call.weight, call.weight_layout, "weight");
  check_layout(call.pos_weights, call.pos_weight_layout, "pos_weight");

  // Outputs may not overlap inputs or each other; the one exception is a
  // gradient written exactly over the logits (in place).
  const std::size_t bytes = static_cast<std::size_t>(call.n) * dtype_size(call.dtype);
  if (bytes == 0) return;
  const ByteRange logits = range_of(call.logits, bytes);
  const ByteRange targets = range_of(call.targets, bytes);
  if (call.grad != nullptr) {
    const ByteRange grad = range_of(call.grad, bytes);
    require(grad.begin == logits.begin || !grad.overlaps(logits),
            "grad overlaps logits without being exactly in place (grad must equal logits or not overlap it)");
    require(!grad.overlaps(targets), "grad overlaps targets");
  }
  // The weights are inputs too: no output may overwrite them.
  for (const auto& [data, layout, name] : {std::tuple{call.weight, call.weight_layout, "weight"},
                                           std::tuple{call.pos_weights, call.pos_weight_layout, "pos_weights"}}) {
    if (data == nullptr) continue;
    const ByteRange operand = range_of(data, static_cast<std::size_t>(broadcast_operand_elements(layout)) *
                                                 dtype_size(call.dtype));
    require(call.grad == nullptr || !operand.overlaps(range_of(call.grad, bytes)),
            std::string("grad overlaps ") + name);
    require(call.elementwise_loss == nullptr || !operand.overlaps(range_of(call.elementwise_loss, bytes)),
            std::string("elementwise_loss overlaps ") + name);
  }
  if (call.elementwise_loss != nullptr) {
    const ByteRange loss = range_of(call.elementwise_loss, bytes);
    require(!loss.overlaps(logits), "elementwise_loss overlaps logits");
    require(!loss.overlaps(targets), "elementwise_loss overlaps targets");
    require(call.grad == nullptr || !loss.overlaps(range_of(call.grad, bytes)), "elementwise_loss overlaps grad");
  }
  if (call.reduced_loss != nullptr) {
    const ByteRange scalar = range_of(call.reduced_loss, sizeof(double));
    require(!scalar.overlaps(logits) && !scalar.overlaps(targets) &&
                (call.grad == nullptr || !scalar.overlaps(range_of(call.grad, bytes))),
            "reduced_loss overlaps an input or the gradient");
  }
}

std::size_t fused_loss_workspace_size(std::int64_t n, Reduction reduction, Backend backend) {
  require(n >= 0, "n must be >= 0, got " + std::to_string(n));
  require(reduction == Reduction::none || reduction == Reduction::mean || reduction == Reduction::sum,
          "unknown reduction value " + std::to_string(static_cast<int>(reduction)));
  return detail::backend_entry(backend).fused_loss_workspace(n, reduction);
}

}  // namespace lossbench
