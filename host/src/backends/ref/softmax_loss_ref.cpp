// The ref backend of softmax_loss(): the double-precision reference on host
// pointers, inputs converted exactly from their dtype, each output rounded
// once to it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "backends/ref/dtype_arrays.hpp"
#include "backends/ref/ref_backend.hpp"
#include "lossbench/reference/softmax_reference.hpp"

namespace lossbench::detail {
namespace {

std::vector<std::int64_t> load_class_indices(const SoftmaxLossCall& call) {
  const auto rows = static_cast<std::size_t>(call.rows);
  if (call.targets_kind == SoftmaxTargets::class_index_i32) {
    const auto* t = static_cast<const std::int32_t*>(call.targets);
    return {t, t + rows};
  }
  const auto* t = static_cast<const std::int64_t*>(call.targets);
  return {t, t + rows};
}

Reduction ce_reduction(SoftmaxReduction reduction) {
  if (reduction == SoftmaxReduction::none) return Reduction::none;
  return reduction == SoftmaxReduction::sum ? Reduction::sum : Reduction::mean;  // batchmean is kl's only
}

reference::KlReduction kl_reduction(SoftmaxReduction reduction) {
  switch (reduction) {
    case SoftmaxReduction::none: return reference::KlReduction::none;
    case SoftmaxReduction::sum: return reference::KlReduction::sum;
    case SoftmaxReduction::mean: return reference::KlReduction::mean;
    case SoftmaxReduction::batchmean: break;
  }
  return reference::KlReduction::batchmean;
}

reference::SoftmaxBatchResult compute(const SoftmaxLossCall& call) {
  const std::size_t elements = static_cast<std::size_t>(call.rows) * static_cast<std::size_t>(call.classes);
  // rows = 0 may come with classes = 0, which the reference refuses as a row shape.
  const std::int64_t classes = std::max<std::int64_t>(call.classes, 1);
  const std::vector<double> logits = load_all(call.logits, call.dtype, elements);
  const std::vector<double> class_weight =
      call.class_weight != nullptr ? load_all(call.class_weight, call.dtype, static_cast<std::size_t>(call.classes))
                                   : std::vector<double>{};
  if (call.targets_kind != SoftmaxTargets::probabilities) {
    const reference::SoftmaxCeOptions options{call.label_smoothing, call.z_loss, call.ignore_index, class_weight};
    return reference::softmax_ce_hard(logits, classes, load_class_indices(call), options,
                                      ce_reduction(call.reduction));
  }
  std::vector<double> targets = load_all(call.targets, call.dtype, elements);
  if (call.loss == SoftmaxLoss::kl) return reference::kl_div(logits, classes, targets, kl_reduction(call.reduction));
  // PyTorch smooths probability targets before the loss: q ← (1 − ε)·q + ε/V.
  const double eps = call.label_smoothing;
  if (eps != 0.0) {
    for (double& q : targets) q = (1.0 - eps) * q + eps / static_cast<double>(classes);
  }
  return reference::softmax_ce_soft(logits, classes, targets, ce_reduction(call.reduction), class_weight);
}

}  // namespace

void softmax_loss_ref(const SoftmaxLossCall& call, void*, void*) {
  // The reference returns whole vectors, so writing the gradient over the
  // logits afterwards is safe.
  const reference::SoftmaxBatchResult result = compute(call);
  if (call.grad != nullptr) store_all(call.grad, call.dtype, result.grad, call.grad_scale);
  if (call.unreduced_loss != nullptr) store_all(call.unreduced_loss, call.dtype, result.losses);
  if (call.entropy != nullptr) store_all(call.entropy, call.dtype, result.entropy);
  if (call.reduced_loss != nullptr) *call.reduced_loss = *result.reduced_loss;
  if (call.counted_rows != nullptr) *call.counted_rows = result.counted_rows;
}

}  // namespace lossbench::detail
