// evaluate(): validation, workspace size, and dispatch to the chosen backend.
#include "lossbench/train/evaluate.hpp"

#include <string>
#include <utility>

#include "backends/backend_table.hpp"
#include "core/argument_checks.hpp"
#include "train/train_call_checks.hpp"

namespace lossbench {
namespace {

void require(bool condition, const std::string& message) { detail::require(condition, "evaluate", message); }

}  // namespace

std::size_t evaluate_workspace_size(std::int64_t n, int d, int k, Backend backend) {
  // The facility before the shape, as train_step_workspace_size().
  const detail::BackendEntry& entry = detail::backend_entry(backend);
  detail::require_facility(entry, entry.evaluate_workspace, "evaluate");
  detail::require_backend_shape("evaluate", n, d, k, backend);
  return entry.evaluate_workspace(n, d, k);
}

void validate(const EvaluateCall& call) {
  detail::require_train_kinds("evaluate", call.loss, call.input_type);
  detail::require_positive_shape("evaluate", call.n, call.d, call.k);
  const std::pair<const void*, const char*> pointers[] = {
      {call.inputs, "inputs"}, {call.targets, "targets"},       {call.weights, "weights"},
      {call.bias, "bias"},     {call.loss_value, "loss_value"}, {call.correct, "correct"}};
  for (const auto& [pointer, name] : pointers) require(pointer != nullptr, std::string(name) + " is null");
  const auto n = static_cast<std::size_t>(call.n);
  const auto d = static_cast<std::size_t>(call.d);
  const auto k = static_cast<std::size_t>(call.k);
  const std::pair<detail::ByteRange, const char*> inputs[] = {
      {detail::byte_range(call.inputs, n * d * input_type_size(call.input_type)), "inputs"},
      {detail::byte_range(call.targets, n * k * sizeof(float)), "targets"},
      {detail::byte_range(call.weights, d * k * sizeof(float)), "weights"},
      {detail::byte_range(call.bias, k * sizeof(float)), "bias"}};
  const std::pair<detail::ByteRange, const char*> outputs[] = {
      {detail::byte_range(call.loss_value, sizeof(double)), "loss_value"},
      {detail::byte_range(call.correct, sizeof(double)), "correct"}};
  for (const auto& [output, output_name] : outputs) {
    for (const auto& [input, input_name] : inputs) {
      require(!output.overlaps(input), std::string(output_name) + " overlaps " + input_name);
    }
  }
  require(!outputs[0].first.overlaps(outputs[1].first), "loss_value overlaps correct");
}

void evaluate(const EvaluateCall& call, Backend backend, void* workspace, std::size_t workspace_bytes, void* stream) {
  validate(call);
  const detail::BackendEntry& entry = detail::available_backend(backend);
  const auto run = detail::require_facility(entry, entry.evaluate, "evaluate");
  detail::require_backend_shape("evaluate", call.n, call.d, call.k, backend);
  const std::size_t needed = entry.evaluate_workspace(call.n, call.d, call.k);
  require(workspace_bytes >= needed, "the workspace holds " + std::to_string(workspace_bytes) + " bytes but needs " +
                                         std::to_string(needed) + " (see evaluate_workspace_size)");
  require(needed == 0 || workspace != nullptr, "workspace is null");
  run(call, workspace, stream);
}

}  // namespace lossbench
