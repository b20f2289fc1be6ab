// Argument checks of a SoftmaxLossCall, and the workspace a call needs.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backends/backend_table.hpp"
#include "core/argument_checks.hpp"
#include "lossbench/loss/softmax_loss.hpp"

namespace lossbench {
namespace {

void require(bool condition, const std::string& message) { detail::require(condition, "softmax_loss", message); }

bool has_class_indices(const SoftmaxLossCall& call) { return call.targets_kind != SoftmaxTargets::probabilities; }

std::size_t index_size(SoftmaxTargets kind) {
  return kind == SoftmaxTargets::class_index_i32 ? sizeof(std::int32_t) : sizeof(std::int64_t);
}

// The enums, the shape and the scalar options: everything but the pointers,
// which is all that the workspace size may depend on.
void require_valid_options(const SoftmaxLossCall& call) {
  require(call.loss == SoftmaxLoss::cross_entropy || call.loss == SoftmaxLoss::kl,
          "unknown loss value " + std::to_string(static_cast<int>(call.loss)) + " (expected cross_entropy or kl)");
  require(call.reduction == SoftmaxReduction::none || call.reduction == SoftmaxReduction::sum ||
              call.reduction == SoftmaxReduction::mean || call.reduction == SoftmaxReduction::batchmean,
          "unknown reduction value " + std::to_string(static_cast<int>(call.reduction)));
  require(call.dtype == DType::f32 || call.dtype == DType::f16 || call.dtype == DType::bf16,
          "unknown dtype value " + std::to_string(static_cast<int>(call.dtype)));
  require(call.targets_kind == SoftmaxTargets::class_index_i32 ||
              call.targets_kind == SoftmaxTargets::class_index_i64 ||
              call.targets_kind == SoftmaxTargets::probabilities,
          "unknown targets kind value " + std::to_string(static_cast<int>(call.targets_kind)));

  require(call.rows >= 0, "rows must be >= 0, got " + std::to_string(call.rows));
  require(call.classes >= 0, "classes must be >= 0, got " + std::to_string(call.classes));
  require(call.rows == 0 || call.classes > 0,
          "an empty class axis: classes = 0 with rows = " + std::to_string(call.rows) + " (a softmax needs a class)");
  // Every array is at most rows × classes elements of at most 8 bytes, so
  // this bound keeps each byte count, and each kernel's 64-bit index, exact.
  constexpr std::int64_t kMaxElements = std::numeric_limits<std::int64_t>::max() / 8;
  require(call.classes == 0 || call.rows <= kMaxElements / call.classes,
          "rows × classes = " + std::to_string(call.rows) + " × " + std::to_string(call.classes) +
              " is too large: its byte counts overflow 64 bits");

  const bool kl = call.loss == SoftmaxLoss::kl;
  require(!kl || !has_class_indices(call),
          "kl takes probability targets, got " + std::string(to_string(call.targets_kind)));
  require(kl || call.reduction != SoftmaxReduction::batchmean, "reduction batchmean applies to kl only");
  require(!kl || call.label_smoothing == 0.0f,
          "label_smoothing applies to cross_entropy only, got " + std::to_string(call.label_smoothing) + " with kl");
  require(call.label_smoothing >= 0.0f && call.label_smoothing <= 1.0f,
          "label_smoothing must be in [0, 1], got " + std::to_string(call.label_smoothing));
  require((!kl && has_class_indices(call)) || call.z_loss == 0.0f,
          "z_loss applies to cross_entropy with class indices only, got " + std::to_string(call.z_loss));
  require(call.z_loss >= 0.0f && std::isfinite(call.z_loss),
          "z_loss must be finite and >= 0, got " + std::to_string(call.z_loss));
  require(has_class_indices(call) || call.ignore_index == -100,
          "ignore_index applies to class-index targets only, got " + std::to_string(call.ignore_index) +
              " with probabilities");
  require(std::isfinite(call.grad_scale), "grad_scale must be finite, got " + std::to_string(call.grad_scale));
}

}  // namespace

void validate(const SoftmaxLossCall& call) {
  require_valid_options(call);
  const bool reduces = call.reduction != SoftmaxReduction::none;
  if (call.rows > 0) {
    require(call.logits != nullptr, "logits is null with rows = " + std::to_string(call.rows));
    require(call.targets != nullptr, "targets is null with rows = " + std::to_string(call.rows));
  }
  require(!reduces || call.reduced_loss != nullptr,
          "reduced_loss is null but reduction " + std::string(to_string(call.reduction)) + " needs it");
  require(reduces || call.reduced_loss == nullptr, "reduced_loss is set but reduction none writes no reduced loss");
  require(!reduces || call.unreduced_loss == nullptr,
          "unreduced_loss is set but only reduction none writes unreduced losses");
  if (call.class_weight != nullptr) {
    require(call.loss == SoftmaxLoss::cross_entropy,
            "class_weight applies to cross_entropy only (PyTorch's kl_div takes no weight)");
    require(call.z_loss == 0.0f, "class_weight with a z-loss (" + std::to_string(call.z_loss) +
                                     "): PyTorch has no weighted z-loss, so lossbench gives it no meaning");
  }

  // Outputs may not overlap inputs or each other; the one exception is a
  // gradient written exactly over the logits (in place).
  const auto rows = static_cast<std::size_t>(call.rows);
  const std::size_t elements = rows * static_cast<std::size_t>(call.classes);
  const std::size_t value = dtype_size(call.dtype);
  using Named = std::pair<detail::ByteRange, const char*>;
  std::vector<Named> inputs = {
      {detail::byte_range(call.logits, elements * value), "logits"},
      {detail::byte_range(call.targets,
                          has_class_indices(call) ? rows * index_size(call.targets_kind) : elements * value),
       "targets"}};
  if (call.class_weight != nullptr) {
    inputs.emplace_back(detail::byte_range(call.class_weight, static_cast<std::size_t>(call.classes) * value),
                        "class_weight");
  }
  std::vector<Named> outputs;
  const auto add_output = [&](const void* p, std::size_t bytes, const char* name) {
    if (p != nullptr && bytes > 0) outputs.emplace_back(detail::byte_range(p, bytes), name);
  };
  add_output(call.grad, elements * value, "grad");
  add_output(call.unreduced_loss, (call.loss == SoftmaxLoss::kl ? elements : rows) * value, "unreduced_loss");
  add_output(call.entropy, rows * value, "entropy");
  add_output(call.reduced_loss, sizeof(double), "reduced_loss");
  add_output(call.counted_rows, sizeof(std::int64_t), "counted_rows");
  if (call.grad != nullptr && elements > 0) {
    require(call.grad == call.logits || !outputs.front().first.overlaps(inputs.front().first),
            "grad overlaps logits without being exactly in place (grad must equal logits or not overlap it)");
  }
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    const auto& [range, name] = outputs[o];
    for (const auto& [input, input_name] : inputs) {
      const bool grad_and_logits = std::string_view(name) == "grad" && std::string_view(input_name) == "logits";
      if (!grad_and_logits) require(!range.overlaps(input), std::string(name) + " overlaps " + input_name);
    }
    for (std::size_t p = o + 1; p < outputs.size(); ++p) {
      require(!range.overlaps(outputs[p].first), std::string(name) + " overlaps " + outputs[p].second);
    }
  }
}

std::size_t softmax_loss_workspace_size(const SoftmaxLossCall& call, Backend backend) {
  require_valid_options(call);
  const detail::BackendEntry& entry = detail::backend_entry(backend);
  return detail::require_facility(entry, entry.softmax_loss_workspace, "softmax_loss")(call);
}

}  // namespace lossbench
