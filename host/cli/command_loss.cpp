#include "command_loss.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/loss/fused_loss.hpp"
#include "lossbench/data/npy.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"

namespace lossbench::cli {

CLI::App* add_loss_command(CLI::App& app, LossCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "loss",
      "Loss and gradient with respect to the logits for .npy inputs. Prints the reduced loss as JSON "
      "({\"loss\", \"n\", \"backend\", ...}; loss is null for --reduction none) and writes the gradient.");
  cmd->add_option("--loss", options.loss, "mse: ½(y − σ(z))²;  bce: binary cross-entropy from logits")
      ->check(CLI::IsMember({"mse", "bce"}))
      ->capture_default_str();
  cmd->add_option("--reduction", options.reduction, "Reduction over elements; the gradient is of the reduced loss")
      ->check(CLI::IsMember({"none", "mean", "sum"}))
      ->capture_default_str();
  cmd->add_option("--logits", options.logits_path, "Logits z: .npy, float32 or float16, C order, any shape")
      ->required();
  cmd->add_option("--targets", options.targets_path,
                  "Targets y in [0, 1] (soft labels allowed): .npy, float32 or float16, same shape as the logits")
      ->required();
  cmd->add_option("--grad-out", options.grad_out_path,
                  "Write dC/dz here (.npy, the logits' shape, in --dtype; bf16 is written as float32, exactly)");
  cmd->add_option("--loss-out", options.loss_out_path,
                  "Write the loss here (.npy, as --grad-out): per element for --reduction none, a 0-d float64 "
                  "array otherwise");
  cmd->add_option("--backend", options.backend,
                  "ref: double-precision CPU reference; emu: the CUDA kernels on the CPU emulator; cuda: the GPU")
      ->check(CLI::IsMember({"ref", "emu", "cuda"}))
      ->capture_default_str();
  cmd->add_option("--dtype", options.dtype,
                  "Storage type of the computation: f32, f16 or bf16 (default: the logits file's); inputs are "
                  "converted to it, rounding to nearest")
      ->check(CLI::IsMember({"f32", "f16", "bf16"}));
  cmd->add_option("--pos-weight", options.pos_weight, "bce only: weight p of the positive term (PyTorch's pos_weight)")
      ->capture_default_str();
  cmd->add_option("--grad-scale", options.grad_scale, "Multiplies the gradient (an upstream gradient or loss scale)")
      ->capture_default_str();
  cmd->add_flag("--in-place", options.in_place, "Write the gradient over the logits' memory (saves one buffer)");
  cmd->add_flag("--no-validate", options.skip_target_validation,
                "Do not check that every target is in [0, 1] and not NaN (checked by default)");
  return cmd;
}

namespace {

// Converts an array to `dtype` (exactly, or rounding once to nearest).
std::vector<unsigned char> converted(const npy::Array& array, DType dtype) {
  if (array.dtype == dtype) return array.bytes;
  const auto n = static_cast<std::size_t>(array.size());
  std::vector<unsigned char> out(n * dtype_size(dtype));
  for (std::size_t i = 0; i < n; ++i) {
    store_from_double(out.data(), dtype, i, load_as_double(array.bytes.data(), array.dtype, i));
  }
  return out;
}

// An .npy array of `bytes` in `dtype`; bfloat16, which .npy lacks, becomes float32 (exactly).
npy::Array npy_array(std::vector<unsigned char> bytes, DType dtype, std::vector<std::int64_t> shape) {
  npy::Array array;
  array.dtype = dtype;
  array.shape = std::move(shape);
  array.bytes = std::move(bytes);
  if (dtype == DType::bf16) {
    array.bytes = converted(array, DType::f32);
    array.dtype = DType::f32;
  }
  return array;
}

}  // namespace

void run_loss_command(const LossCommandOptions& options, std::ostream& out) {
  FusedLossCall call;
  call.loss = parse_loss(options.loss);
  call.reduction = parse_reduction(options.reduction);
  const Backend backend = parse_backend(options.backend);
  const npy::Array logits = npy::read(options.logits_path);
  const npy::Array targets = npy::read(options.targets_path);
  if (logits.shape != targets.shape) {
    throw InputError("logits " + options.logits_path + " have shape " + npy::shape_to_string(logits.shape) +
                     " but targets " + options.targets_path + " have shape " +
                     npy::shape_to_string(targets.shape) + ": the shapes must match");
  }
  if (!options.skip_target_validation) {
    try {
      reference::validate_targets(targets.view());
    } catch (const InputError& e) {
      throw InputError(options.targets_path + ": " + e.what());
    }
  }
  call.dtype = options.dtype.empty() ? logits.dtype : parse_dtype(options.dtype);
  call.n = logits.size();
  call.pos_weight = options.pos_weight;
  call.grad_scale = options.grad_scale;
  const bool want_grad = !options.grad_out_path.empty() || options.in_place;
  const bool reduces = call.reduction != Reduction::none;
  const std::size_t bytes = static_cast<std::size_t>(call.n) * dtype_size(call.dtype);

  BackendBuffer z(backend, bytes);
  BackendBuffer y(backend, bytes);
  std::optional<BackendBuffer> grad;
  if (want_grad && !options.in_place) grad.emplace(backend, bytes);
  std::optional<BackendBuffer> elementwise;
  if (!reduces) elementwise.emplace(backend, bytes);
  BackendBuffer reduced(backend, sizeof(double));
  z.upload(converted(logits, call.dtype).data(), bytes);
  y.upload(converted(targets, call.dtype).data(), bytes);
  call.logits = z.data();
  call.targets = y.data();
  call.grad = !want_grad ? nullptr : options.in_place ? z.data() : grad->data();
  call.elementwise_loss = elementwise ? elementwise->data() : nullptr;
  call.reduced_loss = reduces ? static_cast<double*>(reduced.data()) : nullptr;
  BackendBuffer workspace(backend, fused_loss_workspace_size(call.n, call.reduction, backend));
  workspace.fill_bytes(0);

  const auto start = std::chrono::steady_clock::now();
  fused_loss(call, backend, workspace.data(), workspace.size());
  std::optional<double> reduced_loss;
  if (reduces) {
    double value = 0;
    reduced.download(&value, sizeof value);  // waits for the device
    reduced_loss = value;
  }
  const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;

  const auto download = [&](const BackendBuffer& buffer) {
    std::vector<unsigned char> host(bytes);
    buffer.download(host.data(), bytes);
    return host;
  };
  if (!options.grad_out_path.empty()) {
    npy::write(options.grad_out_path,
               npy_array(download(options.in_place ? z : *grad), call.dtype, logits.shape));
  }
  if (!options.loss_out_path.empty()) {
    if (reduced_loss) {
      npy::Array scalar;
      scalar.dtype = DType::f32;
      scalar.shape = {};
      scalar.bytes.resize(4);
      store_from_double(scalar.bytes.data(), DType::f32, 0, *reduced_loss);
      npy::write(options.loss_out_path, scalar);
    } else {
      npy::write(options.loss_out_path, npy_array(download(*elementwise), call.dtype, logits.shape));
    }
  }

  nlohmann::json report;
  // A NaN (the mean of nothing) or a missing reduced loss is written as null.
  report["loss"] = reduced_loss ? nlohmann::json(*reduced_loss) : nlohmann::json(nullptr);
  report["n"] = call.n;
  report["backend"] = to_string(backend);
  report["loss_function"] = to_string(call.loss);
  report["reduction"] = to_string(call.reduction);
  report["dtype"] = to_string(call.dtype);
  report["time_ms"] = elapsed.count();
  out << report.dump() << '\n';
}

}  // namespace lossbench::cli
