#include "lossbench/verify/verify.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <random>
#include <sstream>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/loss/fused_loss.hpp"
#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"
#include "verify/verify_inputs.hpp"

namespace lossbench {
namespace {

// Elements of untouched memory on each side of every output. 32 elements
// keep the array itself 16-byte aligned at offset 0 for every dtype.
constexpr std::int64_t kGuard = 32;
constexpr unsigned char kPoison = 0xff;  // NaN in f32, f16 and bf16

// One array on the backend with guard elements on both sides.
class GuardedArray {
 public:
  GuardedArray(Backend backend, DType dtype, std::int64_t n, int offset)
      : dtype_(dtype),
        n_(n),
        front_(kGuard + offset),
        buffer_(backend, static_cast<std::size_t>(front_ + n + kGuard) * dtype_size(dtype)) {}

  void* data() const { return static_cast<char*>(buffer_.data()) + bytes(front_); }
  void poison() { buffer_.fill_bytes(kPoison); }
  void upload(const std::vector<unsigned char>& values) { buffer_.upload(values.data(), values.size(), bytes(front_)); }
  std::vector<unsigned char> download_all() const {
    std::vector<unsigned char> all(buffer_.size());
    buffer_.download(all.data(), all.size());
    return all;
  }
  // The array's own bytes out of download_all()'s result.
  std::vector<unsigned char> payload(const std::vector<unsigned char>& all) const {
    return {all.begin() + static_cast<std::ptrdiff_t>(bytes(front_)),
            all.begin() + static_cast<std::ptrdiff_t>(bytes(front_ + n_))};
  }
  // True when every guard byte still holds the poison.
  bool guards_intact(const std::vector<unsigned char>& all) const {
    const auto is_poison = [](unsigned char b) { return b == kPoison; };
    return std::all_of(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(bytes(front_)), is_poison) &&
           std::all_of(all.begin() + static_cast<std::ptrdiff_t>(bytes(front_ + n_)), all.end(), is_poison);
  }

 private:
  std::size_t bytes(std::int64_t elements) const { return static_cast<std::size_t>(elements) * dtype_size(dtype_); }
  DType dtype_;
  std::int64_t n_;
  std::int64_t front_;
  BackendBuffer buffer_;
};

struct RunOutputs {
  std::vector<unsigned char> grad;              // payload bytes
  std::vector<unsigned char> elementwise_loss;  // payload bytes
  std::optional<double> reduced_loss;
  bool guards_intact = true;
};

std::string describe_element(std::int64_t i, double z, double y) {
  std::ostringstream s;
  s.precision(9);
  s << "element " << i << " (z = " << z << ", y = " << y << ")";
  return s.str();
}

}  // namespace

std::string VerifyCase::name() const {
  std::ostringstream s;
  s << to_string(loss) << '/' << to_string(dtype) << '/' << to_string(reduction) << '/';
  if (grad) {
    s << (in_place ? "grad-inplace" : "grad");
  } else {
    s << "fwd";
  }
  if (pos_weight != 1.0f) s << "/pw=" << pos_weight;
  if (grad_scale != 1.0f) s << "/gs=" << grad_scale;
  s << "/off=" << offset;
  return s.str();
}

VerifyResult verify_case(const VerifyCase& config, Backend backend) {
  VerifyResult result;
  result.config = config;
  const DType dtype = config.dtype;
  const std::int64_t n = config.n;
  const bool reduces = config.reduction != Reduction::none;
  const bool writes_elementwise = !reduces && config.elementwise_loss;
  const auto inputs = detail::make_verify_inputs(dtype, n, config.seed, reduces);

  GuardedArray logits(backend, dtype, n, config.offset);
  GuardedArray targets(backend, dtype, n, config.offset);
  std::optional<GuardedArray> grad;
  if (config.grad && !config.in_place) grad.emplace(backend, dtype, n, config.offset);
  std::optional<GuardedArray> elementwise;
  if (writes_elementwise) elementwise.emplace(backend, dtype, n, config.offset);
  BackendBuffer reduced(backend, 3 * sizeof(double));  // the middle double, guarded by the others

  FusedLossCall call;
  call.loss = config.loss;
  call.reduction = config.reduction;
  call.dtype = dtype;
  call.logits = logits.data();
  call.targets = targets.data();
  call.grad = !config.grad ? nullptr : config.in_place ? logits.data() : grad->data();
  call.elementwise_loss = elementwise ? elementwise->data() : nullptr;
  call.reduced_loss = reduces ? reinterpret_cast<double*>(static_cast<char*>(reduced.data()) + sizeof(double)) : nullptr;
  call.n = n;
  call.pos_weight = config.pos_weight;
  call.grad_scale = config.grad_scale;
  BackendBuffer workspace(backend, fused_loss_workspace_size(call.n, call.reduction, backend));
  workspace.fill_bytes(0);
  targets.upload(inputs.targets);

  const auto run = [&]() {
    logits.poison();  // the guards of an in-place gradient are checked too
    logits.upload(inputs.logits);
    if (grad) grad->poison();
    if (elementwise) elementwise->poison();
    reduced.fill_bytes(kPoison);
    fused_loss(call, backend, workspace.data(), workspace.size());
    RunOutputs out;
    if (config.grad) {
      const GuardedArray& g = config.in_place ? logits : *grad;
      const auto all = g.download_all();
      out.grad = g.payload(all);
      out.guards_intact = out.guards_intact && g.guards_intact(all);
    }
    if (elementwise) {
      const auto all = elementwise->download_all();
      out.elementwise_loss = elementwise->payload(all);
      out.guards_intact = out.guards_intact && elementwise->guards_intact(all);
    }
    double scalars[3];
    reduced.download(scalars, sizeof scalars);
    unsigned char poison_double[sizeof(double)];
    std::memset(poison_double, kPoison, sizeof poison_double);
    if (reduces) out.reduced_loss = scalars[1];
    out.guards_intact = out.guards_intact && std::memcmp(&scalars[0], poison_double, sizeof(double)) == 0 &&
                        std::memcmp(&scalars[2], poison_double, sizeof(double)) == 0;
    return out;
  };
  const RunOutputs first = run();
  const RunOutputs second = run();

  reference::Options options;
  options.pos_weight = config.pos_weight;
  options.grad_scale = config.grad_scale;
  const ConstArrayView z_view{inputs.logits.data(), dtype, n};
  const ConstArrayView y_view{inputs.targets.data(), dtype, n};
  const reference::Result ref = reference::compute(config.loss, config.reduction, z_view, y_view, options);

  const auto note = [&](const std::string& problem) {
    if (result.first_problem.empty()) result.first_problem = problem;
  };
  if (!first.guards_intact) {
    result.all_written = false;
    note("a write outside the outputs: a guard element next to an output changed");
  }
  const double grad_multiplier = gradient_multiplier(config.reduction, n, config.grad_scale);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const double z = load_as_double(inputs.logits.data(), dtype, k);
    const double y = load_as_double(inputs.targets.data(), dtype, k);
    const ElementBoundInput bound_input{config.loss, dtype, z, y, config.pos_weight, grad_multiplier};
    if (config.grad) {
      const double got = load_as_double(first.grad.data(), dtype, k);
      if (std::isnan(got)) {
        result.all_written = false;
        note(describe_element(i, z, y) + ": gradient not written (still the NaN poison) or NaN");
      }
      const double error = error_in_bound_units(got, ref.grad[k], grad_error_bound(bound_input, ref.grad[k]));
      if (error > 1.0) {
        std::ostringstream s;
        s.precision(9);
        s << describe_element(i, z, y) << ": gradient " << got << ", reference " << ref.grad[k] << ", "
          << error << " times the bound";
        note(s.str());
      }
      result.grad_error = std::max(result.grad_error, error);
    }
    if (writes_elementwise) {
      const double got = load_as_double(first.elementwise_loss.data(), dtype, k);
      const double expected = ref.elementwise_loss[k];
      if (std::isnan(got)) {
        result.all_written = false;
        note(describe_element(i, z, y) + ": loss not written (still the NaN poison) or NaN");
      }
      const double error = error_in_bound_units(got, expected, elementwise_loss_error_bound(bound_input, expected));
      if (error > 1.0) {
        std::ostringstream s;
        s.precision(9);
        s << describe_element(i, z, y) << ": loss " << got << ", reference " << expected << ", " << error
          << " times the bound";
        note(s.str());
      }
      result.loss_error = std::max(result.loss_error, error);
    }
  }
  if (reduces) {
    const double expected = *ref.reduced_loss;
    const double got = *first.reduced_loss;
    result.loss_error = error_in_bound_units(
        got, expected, reduced_loss_error_bound(expected, n, config.reduction, config.pos_weight));
    if (result.loss_error > 1.0) {
      std::ostringstream s;
      s.precision(17);
      s << "reduced loss " << got << ", reference " << expected << ", " << result.loss_error << " times the bound";
      note(s.str());
    }
  }
  const auto same_bits = [](const std::optional<double>& a, const std::optional<double>& b) {
    return a.has_value() == b.has_value() && (!a || std::memcmp(&*a, &*b, sizeof(double)) == 0);
  };
  result.deterministic = first.grad == second.grad && first.elementwise_loss == second.elementwise_loss &&
                         same_bits(first.reduced_loss, second.reduced_loss);
  if (!result.deterministic) note("a second run gave different bits");
  return result;
}

std::vector<VerifyCase> standard_verify_cases(bool quick, std::uint64_t seed) {
  std::vector<std::int64_t> sizes = {0, 1, 3, 4, 7, 8, 31, 32, 33, 255, 256, 257, 4097};
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> random_size(1, 20000);
  sizes.push_back(random_size(rng));
  if (!quick) sizes.push_back(random_size(rng));

  struct Option {
    bool grad;
    bool in_place;
    float pos_weight;
    float grad_scale;
  };
  const Option options[] = {{true, false, 1.0f, 1.0f}, {false, false, 1.0f, 1.0f}, {true, true, 1.0f, 1.0f},
                            {true, false, 2.5f, 0.5f}};
  std::vector<VerifyCase> cases;
  const auto add = [&](std::int64_t n, Loss loss, DType dtype, Reduction reduction, const Option& o, int offset) {
    VerifyCase c;
    c.loss = loss;
    c.dtype = dtype;
    c.reduction = reduction;
    c.n = n;
    c.offset = offset;
    c.grad = o.grad;
    c.in_place = o.in_place;
    c.pos_weight = o.pos_weight;
    c.grad_scale = o.grad_scale;
    c.seed = seed + cases.size();
    cases.push_back(c);
  };
  for (const std::int64_t n : sizes) {
    for (const Loss loss : {Loss::mse, Loss::bce}) {
      for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
        for (const Reduction reduction : {Reduction::none, Reduction::mean, Reduction::sum}) {
          for (const Option& o : options) {
            if (o.pos_weight != 1.0f && loss != Loss::bce) continue;  // pos_weight is bce's
            for (const int offset : {0, 1}) add(n, loss, dtype, reduction, o, offset);
          }
        }
      }
    }
  }
  if (!quick) {
    // One million and three: many tiles, a partial last tile and a vector tail.
    for (const Loss loss : {Loss::mse, Loss::bce}) {
      for (const DType dtype : {DType::f32, DType::f16, DType::bf16}) {
        for (const Reduction reduction : {Reduction::none, Reduction::mean, Reduction::sum}) {
          for (const int offset : {0, 1}) add(1000003, loss, dtype, reduction, options[0], offset);
        }
      }
    }
  }
  return cases;
}

}  // namespace lossbench
