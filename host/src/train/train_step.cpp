// train_step(): validation, the shapes each backend takes, workspace size,
// and dispatch to the chosen backend.
#include "lossbench/train/train_step.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "backends/backend_table.hpp"
#include "core/argument_checks.hpp"
#include "train/train_call_checks.hpp"

namespace lossbench {
namespace {

void require(bool condition, const std::string& message) { detail::require(condition, "train_step", message); }

detail::ByteRange floats_at(const void* p, std::size_t count) { return detail::byte_range(p, count * sizeof(float)); }

// The indices a call reads, checked where the host can read them.
void require_indices_in_range(const TrainStepCall& call) {
  const std::int64_t first = call.step == nullptr ? 0 : static_cast<std::int64_t>(*call.step) * call.step_rows;
  for (std::int64_t i = 0; i < call.n; ++i) {
    const std::int32_t row = call.row_indices[first + i];
    require(row >= 0 && row < call.input_rows, "row index " + std::to_string(row) + " at position " +
                                                   std::to_string(first + i) + " is outside [0, input_rows = " +
                                                   std::to_string(call.input_rows) + ")");
  }
}

// The table's η for the call's step, checked where the host can read it.
void require_table_rate_valid(const TrainStepCall& call) {
  const float eta = call.learning_rates[*call.step];
  require(std::isfinite(eta) && eta >= 0.0f, "learning_rates[" + std::to_string(*call.step) +
                                                 "] must be finite and >= 0, got " + std::to_string(eta));
}

}  // namespace

std::string_view to_string(InputType type) { return type == InputType::u8 ? "u8" : "f32"; }

InputType parse_input_type(std::string_view name) {
  if (name == "f32") return InputType::f32;
  if (name == "u8") return InputType::u8;
  throw InputError("unknown input type '" + std::string(name) + "' (expected f32 or u8)");
}

std::size_t input_type_size(InputType type) { return type == InputType::u8 ? 1 : sizeof(float); }

TrainStepLimits train_step_limits(Backend backend) { return detail::backend_entry(backend).train_step_limits; }

bool has_train_step(Backend backend) {
  const detail::BackendEntry& entry = detail::backend_entry(backend);
  return entry.train_step != nullptr && entry.train_step_workspace != nullptr;
}

std::size_t train_step_workspace_size(std::int64_t n, int d, int k, Backend backend) {
  // The facility before the shape: a backend without the step has no limits worth naming.
  const detail::BackendEntry& entry = detail::backend_entry(backend);
  detail::require_facility(entry, entry.train_step_workspace, "train_step");
  detail::require_backend_shape("train_step", n, d, k, backend);
  return entry.train_step_workspace(n, d, k);
}

void validate(const TrainStepCall& call) {
  detail::require_train_kinds("train_step", call.loss, call.input_type);
  detail::require_positive_shape("train_step", call.n, call.d, call.k);
  require(std::isfinite(call.learning_rate) && call.learning_rate >= 0.0f,
          "the learning rate must be finite and >= 0, got " + std::to_string(call.learning_rate));
  const bool updates = call.learning_rate > 0.0f || call.learning_rates != nullptr;
  std::vector<std::pair<const void*, const char*>> pointers = {
      {call.inputs, "inputs"}, {call.targets, "targets"}, {call.weights, "weights"},
      {call.bias, "bias"},     {call.loss_value, "loss_value"}};
  if (!updates) {  // the gradients are the step's only result
    pointers.emplace_back(call.grad_weights, "grad_weights");
    pointers.emplace_back(call.grad_bias, "grad_bias");
  }
  for (const auto& [pointer, name] : pointers) require(pointer != nullptr, std::string(name) + " is null");
  require((call.grad_weights == nullptr) == (call.grad_bias == nullptr),
          "grad_weights and grad_bias must both be given or both be null");
  if (call.row_indices != nullptr) {
    require(call.input_rows >= 1, "input_rows (rows of X and Y) must be >= 1 with row_indices, got " +
                                      std::to_string(call.input_rows));
  }
  if (call.step != nullptr) {
    require(call.row_indices != nullptr, "a step cursor needs row_indices");
    require(call.step_rows >= call.n, "step_rows (indices per step) must be >= n = " + std::to_string(call.n) +
                                          ", got " + std::to_string(call.step_rows));
  }
  if (call.learning_rates != nullptr) {
    require(call.step != nullptr, "a learning-rate table (learning_rates) needs a step cursor");
    require(call.learning_rate == 0.0f, "give learning_rate or learning_rates, not both (learning_rate is " +
                                            std::to_string(call.learning_rate) + ")");
  }

  const auto n = static_cast<std::size_t>(call.n);
  const auto d = static_cast<std::size_t>(call.d);
  const auto k = static_cast<std::size_t>(call.k);
  const auto x_rows = call.row_indices != nullptr ? static_cast<std::size_t>(call.input_rows) : n;
  const std::size_t steps = call.step != nullptr ? 0 : 1;  // with a cursor, the slots in use are unknown here
  std::vector<std::pair<detail::ByteRange, const char*>> inputs = {
      {detail::byte_range(call.inputs, x_rows * d * input_type_size(call.input_type)), "inputs"},
      {floats_at(call.targets, x_rows * k), "targets"}};
  if (call.row_indices != nullptr && call.step == nullptr) {
    inputs.emplace_back(detail::byte_range(call.row_indices, n * sizeof(std::int32_t)), "row_indices");
  }
  std::vector<std::pair<detail::ByteRange, const char*>> outputs;
  if (call.grad_weights != nullptr) {
    outputs.emplace_back(floats_at(call.grad_weights, d * k), "grad_weights");
    outputs.emplace_back(floats_at(call.grad_bias, k), "grad_bias");
  }
  outputs.emplace_back(detail::byte_range(call.loss_value, steps * sizeof(double)), "loss_value");
  outputs.emplace_back(detail::byte_range(call.step, call.step != nullptr ? sizeof(std::uint32_t) : 0), "step");
  // W and b are inputs of a plain step and outputs of an update.
  auto& parameters = updates ? outputs : inputs;
  parameters.emplace_back(floats_at(call.weights, d * k), "weights");
  parameters.emplace_back(floats_at(call.bias, k), "bias");
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    for (const auto& [range, name] : inputs) {
      require(!outputs[o].first.overlaps(range), std::string(outputs[o].second) + " overlaps " + name);
    }
    for (std::size_t p = o + 1; p < outputs.size(); ++p) {
      require(!outputs[o].first.overlaps(outputs[p].first),
              std::string(outputs[o].second) + " overlaps " + outputs[p].second);
    }
  }
}

void train_step(const TrainStepCall& call, Backend backend, void* workspace, std::size_t workspace_bytes,
                void* stream) {
  validate(call);
  const detail::BackendEntry& entry = detail::available_backend(backend);
  const auto run = detail::require_facility(entry, entry.train_step, "train_step");
  detail::require_backend_shape("train_step", call.n, call.d, call.k, backend);
  const std::size_t needed = entry.train_step_workspace(call.n, call.d, call.k);
  require(workspace_bytes >= needed, "the workspace holds " + std::to_string(workspace_bytes) + " bytes but needs " +
                                         std::to_string(needed) + " (see train_step_workspace_size)");
  require(needed == 0 || workspace != nullptr, "workspace is null");
  if (call.row_indices != nullptr && entry.host_addressable) require_indices_in_range(call);
  if (call.learning_rates != nullptr && entry.host_addressable) require_table_rate_valid(call);
  run(call, workspace, stream);
}

}  // namespace lossbench
