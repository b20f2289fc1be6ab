// `lossbench loss --loss bce|mse [--activation identity]`: the elementwise
// losses through fused_loss().
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "call_timing.hpp"
#include "loss_inputs.hpp"
#include "loss_results.hpp"
#include "loss_runs.hpp"
#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/core/broadcast.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/loss/fused_loss.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"
#include "staged_outputs.hpp"

namespace lossbench::cli {

void run_fused_loss(const LossCommandOptions& options, std::ostream& out) {
  FusedLossCall call;
  call.loss = parse_loss(options.loss);
  call.activation = parse_activation(options.activation);
  call.reduction = parse_reduction(options.reduction);
  const Backend backend = parse_backend(options.backend);
  const NamedArray logits = read_input(options.logits_path);
  const NamedArray targets = read_input(options.targets_path);
  require_same_shape(logits, "logits", targets, "targets");
  call.dtype = compute_dtype(options.dtype, logits.array);
  call.n = logits.array.size();
  const bool validate = !options.skip_target_validation;
  const std::vector<unsigned char> z_input = converted(logits, call.dtype, validate);
  const std::vector<unsigned char> y_input = converted(targets, call.dtype, validate);
  if (validate) {
    // The values the backends will see, after conversion.
    try {
      reference::validate_targets(ConstArrayView{y_input.data(), call.dtype, call.n}, call.activation);
    } catch (const InputError& e) {
      throw InputError(options.targets_path + ": " + e.what());
    }
  }
  call.pos_weight = options.pos_weight;
  call.grad_scale = options.grad_scale;
  // Weights: read, converted to the dtype, checked to broadcast over the logits.
  const auto operand = [&](const std::string& path, const char* role, BroadcastLayout& layout) {
    if (path.empty()) return std::vector<unsigned char>{};
    const NamedArray a = read_input(path);
    layout = broadcast_layout(logits.array.shape, a.array.shape, path + ": " + role);
    return converted(a, call.dtype, validate);
  };
  const std::vector<unsigned char> w_input = operand(options.weight_path, "the weight", call.weight_layout);
  const std::vector<unsigned char> p_input = operand(options.pos_weight_path, "pos_weight", call.pos_weight_layout);
  const bool want_grad = !options.grad_out_path.empty() || options.in_place;
  const bool reduces = call.reduction != Reduction::none;
  const std::size_t bytes = static_cast<std::size_t>(call.n) * dtype_size(call.dtype);

  BackendBuffer z = uploaded(backend, z_input);
  BackendBuffer y = uploaded(backend, y_input);
  std::optional<BackendBuffer> w, p;
  if (!options.weight_path.empty() && call.n > 0) {
    w.emplace(uploaded(backend, w_input));
    call.weight = w->data();
  }
  if (!options.pos_weight_path.empty() && call.n > 0) {
    p.emplace(uploaded(backend, p_input));
    call.pos_weights = p->data();
  }
  std::optional<BackendBuffer> grad;
  if (want_grad && !options.in_place) grad.emplace(backend, bytes);
  std::optional<BackendBuffer> elementwise;
  if (!reduces) elementwise.emplace(backend, bytes);
  BackendBuffer reduced(backend, sizeof(double));
  call.logits = z.data();
  call.targets = y.data();
  call.grad = !want_grad ? nullptr : options.in_place ? z.data() : grad->data();
  call.elementwise_loss = elementwise ? elementwise->data() : nullptr;
  call.reduced_loss = reduces ? static_cast<double*>(reduced.data()) : nullptr;
  BackendBuffer workspace(backend, fused_loss_workspace_size(call.n, call.reduction, backend));
  workspace.fill_bytes(0);

  // In place, each call overwrites the logits with the gradient: put them
  // back before every call so that each computes from the same inputs.
  std::function<void()> restore;
  if (options.in_place) restore = [&] { z.upload(z_input.data(), bytes); };
  const std::vector<double> times_ms = call_milliseconds(
      backend, [&] { fused_loss(call, backend, workspace.data(), workspace.size()); }, options.repeats, restore);
  const std::optional<double> reduced_loss = read_reduced_loss(reduced, reduces);
  const auto download = [&](const BackendBuffer& buffer) { return download_bytes(buffer, bytes); };
  StagedOutputs outputs;
  if (!options.grad_out_path.empty()) {
    outputs.add(options.grad_out_path,
                npy::from_dtype(download(options.in_place ? z : *grad), call.dtype, logits.array.shape));
  }
  if (!options.loss_out_path.empty()) {
    outputs.add(options.loss_out_path, reduced_loss ? reduced_loss_array(*reduced_loss)
                                                    : npy::from_dtype(download(*elementwise), call.dtype,
                                                                      logits.array.shape));
  }
  outputs.commit();

  nlohmann::json report;
  // A NaN (the mean of nothing) or a missing reduced loss is written as null.
  report["loss"] = reduced_loss ? nlohmann::json(*reduced_loss) : nlohmann::json(nullptr);
  report["n"] = call.n;
  report["backend"] = to_string(backend);
  report["loss_function"] = to_string(call.loss);
  report["activation"] = to_string(call.activation);
  report["reduction"] = to_string(call.reduction);
  report["dtype"] = to_string(call.dtype);
  report["input_dtype"] = {{"logits", npy::to_string(logits.array.type)},
                           {"targets", npy::to_string(targets.array.type)}};
  add_call_times(report, times_ms, options.repeats);
  out << report.dump() << '\n';
}

}  // namespace lossbench::cli
