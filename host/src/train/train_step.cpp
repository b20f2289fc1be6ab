// train_step(): validation, workspace size, and dispatch to the chosen backend.
#include "lossbench/train/train_step.hpp"

#include <cstdint>
#include <string>

#include "backends/backends.hpp"
#include "kernels/train/train_step_tiling.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench {
namespace {

static_assert(kTrainStepMaxInputs == kernels::kTrainMaxInputs && kTrainStepMaxOutputs == kernels::kTrainMaxOutputs);

void require(bool condition, const std::string& message) {
  if (!condition) throw InputError("train_step: " + message);
}

struct ByteRange {
  std::uintptr_t begin;
  std::uintptr_t end;
  bool overlaps(const ByteRange& other) const { return begin < other.end && other.begin < end; }
};

ByteRange floats_at(const void* p, std::size_t count) {
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  return {begin, begin + count * sizeof(float)};
}

}  // namespace

std::size_t train_step_workspace_size(const TrainStepCall& call) {
  validate(call);
  return kernels::train_step_workspace_layout(call.n, call.d, call.k).total_bytes;
}

void validate(const TrainStepCall& call) {
  require(call.loss == Loss::mse || call.loss == Loss::bce,
          "unknown loss value " + std::to_string(static_cast<int>(call.loss)) + " (expected mse or bce)");
  require(call.n >= 1, "n (rows in the batch) must be >= 1, got " + std::to_string(call.n));
  require(call.d >= 1, "d (inputs per row) must be >= 1, got " + std::to_string(call.d));
  require(call.k >= 1 && call.k <= kTrainStepMaxOutputs, "k (outputs per row) must be in [1, " +
                                                             std::to_string(kTrainStepMaxOutputs) + "], got " +
                                                             std::to_string(call.k));
  const std::pair<const void*, const char*> pointers[] = {
      {call.inputs, "inputs"},         {call.targets, "targets"},     {call.weights, "weights"},
      {call.bias, "bias"},             {call.grad_weights, "grad_weights"}, {call.grad_bias, "grad_bias"},
      {call.loss_value, "loss_value"}};
  for (const auto& [pointer, name] : pointers) require(pointer != nullptr, std::string(name) + " is null");

  const auto n = static_cast<std::size_t>(call.n);
  const auto d = static_cast<std::size_t>(call.d);
  const auto k = static_cast<std::size_t>(call.k);
  const std::pair<ByteRange, const char*> inputs[] = {{floats_at(call.inputs, n * d), "inputs"},
                                                      {floats_at(call.targets, n * k), "targets"},
                                                      {floats_at(call.weights, d * k), "weights"},
                                                      {floats_at(call.bias, k), "bias"}};
  const std::pair<ByteRange, const char*> outputs[] = {
      {floats_at(call.grad_weights, d * k), "grad_weights"},
      {floats_at(call.grad_bias, k), "grad_bias"},
      {ByteRange{reinterpret_cast<std::uintptr_t>(call.loss_value),
                 reinterpret_cast<std::uintptr_t>(call.loss_value) + sizeof(double)},
       "loss_value"}};
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
  const BackendAvailability availability = backend_availability(backend);
  if (!availability.available) {
    throw BackendError("backend " + std::string(to_string(backend)) + " is not available: " + availability.reason);
  }
  if (backend == Backend::ref) return detail::train_step_ref(call);
  require(call.d <= kTrainStepMaxInputs, "d = " + std::to_string(call.d) + " exceeds the " +
                                             std::to_string(kTrainStepMaxInputs) +
                                             " inputs per row that the fused kernel stages in shared memory "
                                             "(the ref backend takes any d)");
  const std::size_t needed = kernels::train_step_workspace_layout(call.n, call.d, call.k).total_bytes;
  require(workspace_bytes >= needed, "the workspace holds " + std::to_string(workspace_bytes) + " bytes but needs " +
                                         std::to_string(needed) + " (see train_step_workspace_size)");
  require(workspace != nullptr, "workspace is null");
  switch (backend) {
    case Backend::emu: return detail::train_step_emu(call, workspace);
    case Backend::cuda: return detail::train_step_cuda(call, workspace, stream);
    case Backend::ref:
    case Backend::cpu: break;
  }
  throw BackendError("backend " + std::string(to_string(backend)) + " cannot run train_step");
}

}  // namespace lossbench
