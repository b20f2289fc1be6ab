#include "lossbench/loss/softmax_unfused_baseline.hpp"

#include <string>

#include "backends/backend_table.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench {

namespace {

const detail::BackendEntry& softmax_unfused_backend(Backend backend) {
  const detail::BackendEntry& entry = detail::available_backend(backend);
  detail::require_facility(entry, entry.softmax_unfused, "the unfused softmax baseline");
  return entry;
}

// The scalars share one buffer, each in its own 16-byte slot.
constexpr std::size_t kLossSumOffset = 0;
constexpr std::size_t kCountedOffset = 16;
constexpr std::size_t kGradMultiplierOffset = 32;
constexpr std::size_t kScalarBytes = 48;

std::size_t elements(const SoftmaxLossCall& shape) {
  return static_cast<std::size_t>(shape.rows) * static_cast<std::size_t>(shape.classes);
}

void require_baseline_call(const SoftmaxLossCall& call) {
  if (call.loss != SoftmaxLoss::cross_entropy || call.targets_kind != SoftmaxTargets::class_index_i64 ||
      call.reduction != SoftmaxReduction::mean) {
    throw InputError("the unfused softmax baseline computes cross_entropy with int64 class indices, reduction mean");
  }
  if (call.label_smoothing != 0.0f || call.z_loss != 0.0f) {
    throw InputError("the unfused softmax baseline has no label smoothing or z-loss");
  }
  if (call.entropy != nullptr || call.counted_rows != nullptr) {
    throw InputError("the unfused softmax baseline writes no entropy or counted rows");
  }
  if (call.grad != nullptr && call.grad == call.logits) {
    throw InputError("the unfused softmax baseline writes no gradient in place");
  }
}

}  // namespace

SoftmaxUnfusedBaseline::SoftmaxUnfusedBaseline(Backend backend, const SoftmaxLossCall& shape)
    : backend_(backend),
      rows_(shape.rows),
      classes_(shape.classes),
      dtype_(shape.dtype),
      log_probs_(backend, elements(shape) * dtype_size(shape.dtype)),
      row_loss_(backend, static_cast<std::size_t>(shape.rows) * sizeof(float)),
      scalars_(backend, kScalarBytes),
      reduce_temp_(backend, softmax_unfused_backend(backend).softmax_unfused_temp_bytes(shape.rows)) {
  scalars_.fill_bytes(0);  // the count starts at 0; every run leaves it 0
}

void SoftmaxUnfusedBaseline::run(const SoftmaxLossCall& call, void* stream) {
  validate(call);
  require_baseline_call(call);
  if (call.rows != rows_ || call.classes != classes_ || call.dtype != dtype_) {
    throw InputError("the unfused softmax baseline was set up for " + std::to_string(rows_) + " × " +
                     std::to_string(classes_) + " " + std::string(to_string(dtype_)) + ", not " +
                     std::to_string(call.rows) + " × " + std::to_string(call.classes) + " " +
                     std::string(to_string(call.dtype)));
  }
  auto* scalars = static_cast<unsigned char*>(scalars_.data());
  const detail::SoftmaxUnfusedBuffers buffers{
      log_probs_.data(),
      static_cast<float*>(row_loss_.data()),
      reinterpret_cast<float*>(scalars + kLossSumOffset),
      reinterpret_cast<unsigned long long*>(scalars + kCountedOffset),
      reinterpret_cast<float*>(scalars + kGradMultiplierOffset),
      reduce_temp_.data(),
      reduce_temp_.size()};
  softmax_unfused_backend(backend_).softmax_unfused(call, buffers, stream);
}

}  // namespace lossbench
