#include "lossbench/core/backend.hpp"

#include <string>

#include "backends/backends.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench {

std::string_view to_string(Backend backend) {
  switch (backend) {
    case Backend::ref: return "ref";
    case Backend::emu: return "emu";
    case Backend::cuda: return "cuda";
    case Backend::cpu: return "cpu";
  }
  return "unknown-backend";
}

Backend parse_backend(std::string_view name) {
  if (name == "ref") return Backend::ref;
  if (name == "emu") return Backend::emu;
  if (name == "cuda") return Backend::cuda;
  if (name == "cpu") return Backend::cpu;
  throw InputError("unknown backend '" + std::string(name) + "': expected ref, emu, cuda or cpu");
}

BackendAvailability backend_availability(Backend backend) {
  switch (backend) {
    case Backend::ref:
    case Backend::emu: return {true, ""};
    case Backend::cuda: return detail::cuda_availability();
    case Backend::cpu:
      return {false, "the cpu backend (a fast CPU implementation) is not part of lossbench yet; use ref or emu"};
  }
  return {false, "unknown backend value " + std::to_string(static_cast<int>(backend))};
}

Backend best_kernel_backend() { return detail::cuda_availability().available ? Backend::cuda : Backend::emu; }

}  // namespace lossbench
