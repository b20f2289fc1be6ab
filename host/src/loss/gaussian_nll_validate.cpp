// Argument checks of a GaussianNllCall, the host check of its variances, and
// the workspace a shape needs.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backends/backend_table.hpp"
#include "core/argument_checks.hpp"
#include "lossbench/loss/gaussian_nll.hpp"

namespace lossbench {
namespace {

void require(bool condition, const std::string& message) { detail::require(condition, "gaussian_nll", message); }

void require_valid_shape(std::int64_t n, Reduction reduction) {
  require(reduction == Reduction::none || reduction == Reduction::mean || reduction == Reduction::sum,
          "unknown reduction value " + std::to_string(static_cast<int>(reduction)));
  require(n >= 0, "n must be >= 0, got " + std::to_string(n));
}

}  // namespace

void validate(const GaussianNllCall& call) {
  require_valid_shape(call.n, call.reduction);
  require(call.dtype == DType::f32 || call.dtype == DType::f16 || call.dtype == DType::bf16,
          "unknown dtype value " + std::to_string(static_cast<int>(call.dtype)));
  if (call.n > 0) {
    for (const auto& [pointer, name] : {std::pair<const void*, const char*>{call.mu, "mu"},
                                        {call.target, "target"},
                                        {call.var, "var"}}) {
      require(pointer != nullptr, std::string(name) + " is null with n = " + std::to_string(call.n));
    }
  }
  const bool reduces = call.reduction != Reduction::none;
  require(!reduces || call.reduced_loss != nullptr,
          "reduced_loss is null but reduction " + std::string(to_string(call.reduction)) + " needs it");
  require(reduces || call.reduced_loss == nullptr, "reduced_loss is set but reduction none writes no reduced loss");
  require(!reduces || call.elementwise_loss == nullptr,
          "elementwise_loss is set but only reduction none writes per-element losses");
  require(call.eps >= 0.0f && std::isfinite(call.eps), "eps must be finite and >= 0, got " + std::to_string(call.eps));
  require(std::isfinite(call.grad_scale), "grad_scale must be finite, got " + std::to_string(call.grad_scale));

  // Outputs may not overlap inputs or each other; the exceptions are each
  // gradient written exactly over its own input (in place).
  const std::size_t bytes = static_cast<std::size_t>(call.n) * dtype_size(call.dtype);
  if (bytes == 0) return;
  using Named = std::pair<detail::ByteRange, const char*>;
  const std::vector<Named> inputs = {{detail::byte_range(call.mu, bytes), "mu"},
                                     {detail::byte_range(call.target, bytes), "target"},
                                     {detail::byte_range(call.var, bytes), "var"}};
  std::vector<Named> outputs;
  const auto add_output = [&](const void* p, std::size_t size, const char* name) {
    if (p != nullptr) outputs.emplace_back(detail::byte_range(p, size), name);
  };
  add_output(call.grad_mu, bytes, "grad_mu");
  add_output(call.grad_var, bytes, "grad_var");
  add_output(call.elementwise_loss, bytes, "elementwise_loss");
  add_output(call.reduced_loss, sizeof(double), "reduced_loss");
  // The input an output may be written exactly over, if any.
  const auto own_input = [](std::string_view output) -> std::string_view {
    return output == "grad_mu" ? "mu" : output == "grad_var" ? "var" : "";
  };
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    const auto& [range, name] = outputs[o];
    for (const auto& [input, input_name] : inputs) {
      const bool own = own_input(name) == input_name;
      if (own && range.begin == input.begin) continue;  // in place
      require(!range.overlaps(input),
              std::string(name) + " overlaps " + input_name + (own ? " without being exactly in place" : ""));
    }
    for (std::size_t p = o + 1; p < outputs.size(); ++p) {
      require(!range.overlaps(outputs[p].first), std::string(name) + " overlaps " + outputs[p].second);
    }
  }
}

void validate_gaussian_nll_var(const GaussianNllCall& call) {
  validate(call);
  for (std::int64_t i = 0; i < call.n; ++i) {
    const double v = load_as_double(call.var, call.dtype, static_cast<std::size_t>(i));
    require(!(v < 0.0), "var[" + std::to_string(i) + "] = " + std::to_string(v) + " is negative");
  }
}

std::size_t gaussian_nll_workspace_size(std::int64_t n, Reduction reduction, Backend backend) {
  require_valid_shape(n, reduction);
  const detail::BackendEntry& entry = detail::backend_entry(backend);
  return detail::require_facility(entry, entry.gaussian_nll_workspace, "gaussian_nll")(n, reduction);
}

}  // namespace lossbench
