// train_step(): validation, the shapes each backend takes, workspace size,
// and dispatch to the chosen backend.
#include "lossbench/train/train_step.hpp"

#include <cstdint>
#include <string>
#include <utility>

#include "backends/backend_table.hpp"
#include "core/argument_checks.hpp"

namespace lossbench {
namespace {

void require(bool condition, const std::string& message) { detail::require(condition, "train_step", message); }

detail::ByteRange floats_at(const void* p, std::size_t count) { return detail::byte_range(p, count * sizeof(float)); }

// n, d and k against the backend's limits, in the words a user can act on.
void require_shape(std::int64_t n, int d, int k, Backend backend) {
  require(n >= 1, "n (rows in the batch) must be >= 1, got " + std::to_string(n));
  require(d >= 1, "d (inputs per row) must be >= 1, got " + std::to_string(d));
  require(k >= 1, "k (outputs per row) must be >= 1, got " + std::to_string(k));
  const TrainStepLimits limits = train_step_limits(backend);
  const std::string on = " on the " + std::string(to_string(backend)) + " backend";
  require(d <= limits.max_inputs, "d = " + std::to_string(d) + " exceeds the " + std::to_string(limits.max_inputs) +
                                      " inputs per row that the fused kernel stages in shared memory" + on +
                                      " (the ref backend takes any d)");
  require(k <= limits.max_outputs,
          "k = " + std::to_string(k) + " exceeds the " + std::to_string(limits.max_outputs) + " outputs per row" + on);
}

}  // namespace

TrainStepLimits train_step_limits(Backend backend) { return detail::backend_entry(backend).train_step_limits; }

std::size_t train_step_workspace_size(std::int64_t n, int d, int k, Backend backend) {
  require_shape(n, d, k, backend);
  return detail::backend_entry(backend).train_step_workspace(n, d, k);
}

void validate(const TrainStepCall& call) {
  require(call.loss == Loss::mse || call.loss == Loss::bce,
          "unknown loss value " + std::to_string(static_cast<int>(call.loss)) + " (expected mse or bce)");
  require(call.n >= 1, "n (rows in the batch) must be >= 1, got " + std::to_string(call.n));
  require(call.d >= 1, "d (inputs per row) must be >= 1, got " + std::to_string(call.d));
  require(call.k >= 1, "k (outputs per row) must be >= 1, got " + std::to_string(call.k));
  const std::pair<const void*, const char*> pointers[] = {
      {call.inputs, "inputs"},         {call.targets, "targets"},     {call.weights, "weights"},
      {call.bias, "bias"},             {call.grad_weights, "grad_weights"}, {call.grad_bias, "grad_bias"},
      {call.loss_value, "loss_value"}};
  for (const auto& [pointer, name] : pointers) require(pointer != nullptr, std::string(name) + " is null");

  const auto n = static_cast<std::size_t>(call.n);
  const auto d = static_cast<std::size_t>(call.d);
  const auto k = static_cast<std::size_t>(call.k);
  const std::pair<detail::ByteRange, const char*> inputs[] = {{floats_at(call.inputs, n * d), "inputs"},
                                                              {floats_at(call.targets, n * k), "targets"},
                                                              {floats_at(call.weights, d * k), "weights"},
                                                              {floats_at(call.bias, k), "bias"}};
  const std::pair<detail::ByteRange, const char*> outputs[] = {
      {floats_at(call.grad_weights, d * k), "grad_weights"},
      {floats_at(call.grad_bias, k), "grad_bias"},
      {detail::byte_range(call.loss_value, sizeof(double)), "loss_value"}};
  for (std::size_t o = 0; o < std::size(outputs); ++o) {
    for (const auto& [range, name] : inputs) {
      require(!outputs[o].first.overlaps(range), std::string(outputs[o].second) + " overlaps " + name);
    }
    for (std::size_t p = o + 1; p < std::size(outputs); ++p) {
      require(!outputs[o].first.overlaps(outputs[p].first),
              std::string(outputs[o].second) + " overlaps " + outputs[p].second);
    }
  }
}

void train_step(const TrainStepCall& call, Backend backend, void* workspace, std::size_t workspace_bytes,
                void* stream) {
  validate(call);
  const detail::BackendEntry& entry = detail::available_backend(backend);
  require_shape(call.n, call.d, call.k, backend);
  const std::size_t needed = entry.train_step_workspace(call.n, call.d, call.k);
  require(workspace_bytes >= needed, "the workspace holds " + std::to_string(workspace_bytes) + " bytes but needs " +
                                         std::to_string(needed) + " (see train_step_workspace_size)");
  require(needed == 0 || workspace != nullptr, "workspace is null");
  detail::require_facility(entry, entry.train_step, "train_step")(call, workspace, stream);
}

}  // namespace lossbench
