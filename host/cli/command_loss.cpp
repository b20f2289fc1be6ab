#include "command_loss.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/loss/fused_loss.hpp"
#include "lossbench/data/atomic_file.hpp"
#include "lossbench/data/npy.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"
#include "measure/gpu_measure.hpp"

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
  cmd->add_option("--logits", options.logits_path,
                  "Logits z: .npy, float16, float32 or float64 (either byte order), C order, any shape")
      ->required();
  cmd->add_option("--targets", options.targets_path,
                  "Targets y in [0, 1] (soft labels allowed): .npy as --logits, same shape (its dtype may differ)")
      ->required();
  cmd->add_option("--grad-out", options.grad_out_path,
                  "Write dC/dz here (.npy, the logits' shape, in --dtype; bf16 is written as float32, exactly)");
  cmd->add_option("--loss-out", options.loss_out_path,
                  "Write the loss here (.npy, as --grad-out): per element for --reduction none, a 0-d float64 "
                  "array otherwise");
  cmd->add_option("--backend", options.backend,
                  "ref: double-precision CPU reference; emu: the CUDA kernels on the CPU emulator; cuda: the GPU; "
                  "cpu: float32 on the CPU, SIMD and threads (see --threads)")
      ->check(CLI::IsMember({"ref", "emu", "cuda", "cpu"}))
      ->capture_default_str();
  cmd->add_option("--dtype", options.dtype,
                  "Storage type of the computation: f32, f16 or bf16 (default: the logits file's, f32 for a "
                  "float64 file); inputs are converted to it, rounding to nearest, for every backend")
      ->check(CLI::IsMember({"f32", "f16", "bf16"}));
  cmd->add_option("--pos-weight", options.pos_weight, "bce only: weight p of the positive term (PyTorch's pos_weight)")
      ->capture_default_str();
  cmd->add_option("--grad-scale", options.grad_scale, "Multiplies the gradient (an upstream gradient or loss scale)")
      ->capture_default_str();
  cmd->add_flag("--in-place", options.in_place, "Write the gradient over the logits' memory (saves one buffer)");
  cmd->add_option("--repeats", options.repeats,
                  "Run the fused call R times on the same backend buffers, after one untimed warm-up call; "
                  "time_ms is the median of the R calls and times_ms {min, median} summarises them. Each call "
                  "is timed alone: on cuda the kernel's GPU time (CUDA events), on ref, emu and cpu the call's wall "
                  "time; reading and converting the files, host-device copies and writing the outputs are "
                  "never timed. The outputs are the last call's (every call gives the same bits)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_flag("--no-validate", options.skip_target_validation,
                "Do not check that every target is in [0, 1] and not NaN, nor that every finite input stays "
                "finite in --dtype (checked by default; without the check it becomes inf)");
  return cmd;
}

namespace {

// The computation's inputs: the file's values in `dtype`, every backend's
// (the reference's too) so that all compute from the same numbers. A finite
// value that overflows `dtype` is an error unless validation is off.
std::vector<unsigned char> converted(const npy::Array& array, DType dtype, const std::string& path, bool validate) {
  if (!validate) return npy::to_dtype(array, dtype, path, npy::Overflow::to_infinity);
  try {
    return npy::to_dtype(array, dtype, path, npy::Overflow::reject);
  } catch (const InputError& e) {
    throw InputError(std::string(e.what()) + " (--no-validate converts it to inf)");
  }
}

// Milliseconds of each of `repeats` calls of `call_once`, after one untimed
// warm-up (first-call costs such as loading the CUDA module stay out): the
// kernel's GPU time on cuda, the synchronous call's wall time on ref, emu
// and cpu. `restore`, when not empty, runs before every call, untimed.
std::vector<double> call_milliseconds(Backend backend, const std::function<void()>& call_once, int repeats,
                                      const std::function<void()>& restore) {
  std::vector<double> milliseconds;
  if (backend == Backend::cuda) {
    for (const double s : measure::gpu_call_seconds(call_once, repeats, restore)) milliseconds.push_back(s * 1e3);
    return milliseconds;
  }
  if (restore) restore();
  call_once();
  for (int r = 0; r < repeats; ++r) {
    if (restore) restore();
    const auto start = std::chrono::steady_clock::now();
    call_once();
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
    milliseconds.push_back(elapsed.count());
  }
  return milliseconds;
}

// The median of a non-empty list: the middle value, or the mean of the two
// middle values for an even count.
double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t half = values.size() / 2;
  return values.size() % 2 == 1 ? values[half] : 0.5 * (values[half - 1] + values[half]);
}

// Serialises `array` into a temporary file beside `path`, complete and
// closed; commit() puts it in place.
void write_unplaced(std::optional<AtomicFile>& file, const std::string& path, const npy::Array& array) {
  file.emplace(path);
  file->write(npy::serialize(array));
  file->finish();
}

}  // namespace

void run_loss_command(const LossCommandOptions& options, std::ostream& out) {
  // CLI11 checks the range too; this keeps the in-process API honest.
  if (options.repeats < 1) {
    throw InputError("--repeats must be at least 1, got " + std::to_string(options.repeats));
  }
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
  // No kernel stores float64: such logits compute in float32 unless --dtype says otherwise.
  call.dtype = !options.dtype.empty() ? parse_dtype(options.dtype)
               : logits.type == npy::ElementType::f16 ? DType::f16 : DType::f32;
  call.n = logits.size();
  const bool validate = !options.skip_target_validation;
  const std::vector<unsigned char> z_input = converted(logits, call.dtype, options.logits_path, validate);
  const std::vector<unsigned char> y_input = converted(targets, call.dtype, options.targets_path, validate);
  if (validate) {
    // The values the backends will see, after conversion.
    try {
      reference::validate_targets(ConstArrayView{y_input.data(), call.dtype, call.n});
    } catch (const InputError& e) {
      throw InputError(options.targets_path + ": " + e.what());
    }
  }
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
  z.upload(z_input.data(), bytes);
  y.upload(y_input.data(), bytes);
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
  std::optional<double> reduced_loss;
  if (reduces) {
    double value = 0;
    reduced.download(&value, sizeof value);  // waits for the device
    reduced_loss = value;
  }

  const auto download = [&](const BackendBuffer& buffer) {
    std::vector<unsigned char> host(bytes);
    buffer.download(host.data(), bytes);
    return host;
  };
  // Every output is complete in its temporary file before any is renamed
  // into place, so that a failure writing one leaves every old file as it
  // was. (Only a failing rename, after the checks at creation, could leave
  // the gradient in place without the loss file.)
  std::optional<AtomicFile> grad_file;
  std::optional<AtomicFile> loss_file;
  if (!options.grad_out_path.empty()) {
    write_unplaced(grad_file, options.grad_out_path,
                   npy::from_dtype(download(options.in_place ? z : *grad), call.dtype, logits.shape));
  }
  if (!options.loss_out_path.empty()) {
    if (reduced_loss) {
      npy::Array scalar;  // 0-d float64: the reduced loss exactly
      scalar.type = npy::ElementType::f64;
      scalar.bytes.resize(sizeof(double));
      std::memcpy(scalar.bytes.data(), &*reduced_loss, sizeof(double));
      write_unplaced(loss_file, options.loss_out_path, scalar);
    } else {
      write_unplaced(loss_file, options.loss_out_path,
                     npy::from_dtype(download(*elementwise), call.dtype, logits.shape));
    }
  }
  if (grad_file) grad_file->commit();
  if (loss_file) loss_file->commit();

  nlohmann::json report;
  // A NaN (the mean of nothing) or a missing reduced loss is written as null.
  report["loss"] = reduced_loss ? nlohmann::json(*reduced_loss) : nlohmann::json(nullptr);
  report["n"] = call.n;
  report["backend"] = to_string(backend);
  report["loss_function"] = to_string(call.loss);
  report["reduction"] = to_string(call.reduction);
  report["dtype"] = to_string(call.dtype);
  report["input_dtype"] = {{"logits", npy::to_string(logits.type)}, {"targets", npy::to_string(targets.type)}};
  report["time_ms"] = median(times_ms);
  report["times_ms"] = {{"min", *std::min_element(times_ms.begin(), times_ms.end())}, {"median", median(times_ms)}};
  report["repeats"] = options.repeats;
  out << report.dump() << '\n';
}

}  // namespace lossbench::cli
