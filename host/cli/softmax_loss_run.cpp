// `lossbench loss --loss softmax-ce|kl`: the softmax losses through
// softmax_loss().
//
// Shapes: the logits' last axis is the V classes and their leading axes,
// flattened in C order, the rows, so (N, V) is N rows, (B, T, V) is B·T rows
// and (V,) one row. Class indices have the leading shape (() for one row),
// probability targets the logits' shape. Per-row outputs (the loss of
// softmax-ce with --reduction none, the entropy) have the leading shape,
// per-element ones (the gradient, kl's loss with none) the logits'.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "call_timing.hpp"
#include "loss_inputs.hpp"
#include "loss_results.hpp"
#include "loss_runs.hpp"
#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/loss/softmax_loss.hpp"
#include "staged_outputs.hpp"

namespace lossbench::cli {
namespace {

SoftmaxReduction parse_softmax_reduction(const std::string& name) {
  if (name == "none") return SoftmaxReduction::none;
  if (name == "sum") return SoftmaxReduction::sum;
  if (name == "mean") return SoftmaxReduction::mean;
  if (name == "batchmean") return SoftmaxReduction::batchmean;
  throw InputError("unknown reduction '" + name + "': expected none, sum, mean or batchmean");
}

// The logits' axes split into rows and classes.
struct RowShape {
  std::vector<std::int64_t> leading;  // the rows' shape: every axis but the last
  std::int64_t rows = 1;
  std::int64_t classes = 0;
};

RowShape row_shape(const NamedArray& logits) {
  const std::vector<std::int64_t>& shape = logits.array.shape;
  if (shape.empty()) {
    throw InputError("logits " + logits.path +
                     " are a 0-d array: softmax losses need a class axis (the last axis; a 1-d array is one row)");
  }
  RowShape rs;
  rs.leading.assign(shape.begin(), shape.end() - 1);
  for (const std::int64_t d : rs.leading) rs.rows *= d;
  rs.classes = shape.back();
  return rs;
}

// Class indices: one per row, the leading shape. Probabilities: the logits'
// shape. The message says which the file's dtype asked for.
SoftmaxTargets targets_kind(const NamedArray& targets, const NamedArray& logits, const RowShape& rs) {
  const npy::ElementType type = targets.array.type;
  if (npy::is_integer(type)) {
    if (targets.array.shape != rs.leading) {
      throw InputError("targets " + targets.path + " hold " + std::string(npy::to_string(type)) +
                       " class indices of shape " + npy::shape_to_string(targets.array.shape) + " but logits " +
                       logits.path + " of shape " + npy::shape_to_string(logits.array.shape) +
                       " need one index per row: shape " + npy::shape_to_string(rs.leading));
    }
    return type == npy::ElementType::i32 ? SoftmaxTargets::class_index_i32 : SoftmaxTargets::class_index_i64;
  }
  require_same_shape(logits, "logits", targets, "targets",
                     "float targets are probability rows of the logits' shape; class indices are an int32 or int64 "
                     "array of shape " + npy::shape_to_string(rs.leading));
  return SoftmaxTargets::probabilities;
}

// The API's check of the target values reads host memory: run it on the
// host arrays, with the call as it will run. Class indices are always
// checked (on a device an index out of range would be read out of bounds);
// probability rows unless --no-validate.
void validate_on_host(SoftmaxLossCall call, const void* logits, const void* targets, bool check_probabilities,
                      const NamedArray& targets_file, const RowShape& rs, const std::string& class_weight_path) {
  double reduced_loss = 0;
  call.logits = logits;
  call.targets = targets;
  call.reduced_loss = call.reduction == SoftmaxReduction::none ? nullptr : &reduced_loss;
  try {
    validate(call);  // the options, some of which depend on what the targets file holds
  } catch (const InputError& e) {
    const bool class_indices = call.targets_kind != SoftmaxTargets::probabilities;
    throw InputError(std::string(e.what()) + " (targets " + targets_file.path + " hold " +
                     std::string(npy::to_string(targets_file.array.type)) +
                     (class_indices ? " class indices)" : " probabilities)"));
  }
  try {
    validate_softmax_class_weights(call);  // always: a NaN or negative weight is never a weight
  } catch (const InputError& e) {
    throw InputError(class_weight_path + ": " + e.what());
  }
  if (call.targets_kind == SoftmaxTargets::probabilities && !check_probabilities) return;
  try {
    validate_softmax_targets(call);
  } catch (const InputError& e) {
    const std::string rows_note =
        rs.leading.size() > 1 ? " (rows are the logits' leading axes " + npy::shape_to_string(rs.leading) +
                                    " flattened in C order)"
                              : "";
    throw InputError(targets_file.path + ": " + e.what() + rows_note);
  }
}

}  // namespace

void run_softmax_loss(const LossCommandOptions& options, std::ostream& out) {
  SoftmaxLossCall call;
  call.loss = options.loss == "kl" ? SoftmaxLoss::kl : SoftmaxLoss::cross_entropy;
  call.reduction = parse_softmax_reduction(options.reduction);
  const Backend backend = parse_backend(options.backend);
  const NamedArray logits = read_input(options.logits_path);
  const NamedArray targets = read_input(options.targets_path);
  const RowShape rs = row_shape(logits);
  call.targets_kind = targets_kind(targets, logits, rs);
  call.rows = rs.rows;
  call.classes = rs.classes;
  call.dtype = compute_dtype(options.dtype, logits.array);
  call.label_smoothing = options.label_smoothing;
  call.ignore_index = options.ignore_index;
  call.z_loss = options.z_loss;
  call.grad_scale = options.grad_scale;

  const bool validate = !options.skip_target_validation;
  const bool class_indices = call.targets_kind != SoftmaxTargets::probabilities;
  const std::vector<unsigned char> z_input = converted(logits, call.dtype, validate);
  // Class indices go to the backend as the file holds them (little-endian, as the host).
  const std::vector<unsigned char> t_input =
      class_indices ? targets.array.bytes : converted(targets, call.dtype, validate);
  // Class weights: one per class, a vector of the classes' length (as PyTorch requires), in the dtype.
  std::vector<unsigned char> w_input;
  std::optional<NamedArray> class_weight;
  if (!options.class_weight_path.empty()) {
    class_weight = read_input(options.class_weight_path);
    const std::vector<std::int64_t> expected{call.classes};
    if (class_weight->array.shape != expected) {
      throw InputError(options.class_weight_path + ": class weights of shape " +
                       npy::shape_to_string(class_weight->array.shape) + " for logits " + logits.path +
                       " of shape " + npy::shape_to_string(logits.array.shape) + ": expected one per class, shape " +
                       npy::shape_to_string(expected));
    }
    w_input = converted(*class_weight, call.dtype, true);  // always checked: a NaN or inf weight is refused below
    call.class_weight = w_input.data();
  }
  validate_on_host(call, z_input.data(), t_input.data(), validate, targets, rs, options.class_weight_path);

  const std::size_t value = dtype_size(call.dtype);
  const std::size_t elements = static_cast<std::size_t>(call.rows) * static_cast<std::size_t>(call.classes);
  const std::size_t row_bytes = static_cast<std::size_t>(call.rows) * value;
  const bool want_grad = !options.grad_out_path.empty() || options.in_place;
  const bool reduces = call.reduction != SoftmaxReduction::none;
  // kl's unreduced loss is one per element, cross-entropy's one per row.
  const bool per_element_loss = call.loss == SoftmaxLoss::kl;
  const std::size_t unreduced_bytes = per_element_loss ? elements * value : row_bytes;
  // Before any allocation: a backend without softmax_loss says so here.
  BackendBuffer workspace(backend, softmax_loss_workspace_size(call, backend));
  workspace.fill_bytes(0);

  BackendBuffer z = uploaded(backend, z_input);
  const BackendBuffer t = uploaded(backend, t_input);
  std::optional<BackendBuffer> w;
  if (class_weight && call.classes > 0) w.emplace(uploaded(backend, w_input));
  call.class_weight = w ? w->data() : nullptr;
  std::optional<BackendBuffer> grad;
  if (want_grad && !options.in_place) grad.emplace(backend, elements * value);
  std::optional<BackendBuffer> unreduced;
  if (!reduces && !options.loss_out_path.empty()) unreduced.emplace(backend, unreduced_bytes);
  std::optional<BackendBuffer> entropy;
  if (!options.entropy_out_path.empty()) entropy.emplace(backend, row_bytes);
  BackendBuffer reduced(backend, sizeof(double));
  BackendBuffer counted(backend, sizeof(std::int64_t));
  call.logits = z.data();
  call.targets = t.data();
  call.grad = !want_grad ? nullptr : options.in_place ? z.data() : grad->data();
  call.unreduced_loss = unreduced ? unreduced->data() : nullptr;
  call.entropy = entropy ? entropy->data() : nullptr;
  call.reduced_loss = reduces ? static_cast<double*>(reduced.data()) : nullptr;
  call.counted_rows = static_cast<std::int64_t*>(counted.data());

  // In place, each call overwrites the logits with the gradient: put them
  // back before every call so that each computes from the same inputs.
  std::function<void()> restore;
  if (options.in_place) restore = [&] { z.upload(z_input.data(), z_input.size()); };
  const std::vector<double> times_ms = call_milliseconds(
      backend, [&] { softmax_loss(call, backend, workspace.data(), workspace.size()); }, options.repeats, restore);
  std::int64_t counted_rows = 0;
  counted.download(&counted_rows, sizeof counted_rows);  // waits for the device
  const std::optional<double> reduced_loss = read_reduced_loss(reduced, reduces);
  StagedOutputs outputs;
  if (!options.grad_out_path.empty()) {
    outputs.add(options.grad_out_path, npy::from_dtype(download_bytes(options.in_place ? z : *grad, elements * value),
                                                       call.dtype, logits.array.shape));
  }
  if (!options.loss_out_path.empty()) {
    outputs.add(options.loss_out_path,
                reduced_loss ? reduced_loss_array(*reduced_loss)
                             : npy::from_dtype(download_bytes(*unreduced, unreduced_bytes), call.dtype,
                                               per_element_loss ? logits.array.shape : rs.leading));
  }
  if (entropy) {
    outputs.add(options.entropy_out_path, npy::from_dtype(download_bytes(*entropy, row_bytes), call.dtype, rs.leading));
  }
  outputs.commit();

  nlohmann::json report;
  // A NaN (the mean over no counted row) or a missing reduced loss is written as null.
  report["loss"] = reduced_loss ? nlohmann::json(*reduced_loss) : nlohmann::json(nullptr);
  report["n"] = counted_rows;
  report["rows"] = call.rows;
  report["classes"] = call.classes;
  report["backend"] = to_string(backend);
  report["loss_function"] = options.loss;
  report["targets"] = to_string(call.targets_kind);
  report["reduction"] = to_string(call.reduction);
  report["dtype"] = to_string(call.dtype);
  report["input_dtype"] = {{"logits", npy::to_string(logits.array.type)},
                           {"targets", npy::to_string(targets.array.type)}};
  if (class_weight) report["input_dtype"]["class_weight"] = npy::to_string(class_weight->array.type);
  add_call_times(report, times_ms, options.repeats);
  out << report.dump() << '\n';
}

}  // namespace lossbench::cli
