#include "lossbench/core/backend.hpp"

#include <string>

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

}  // namespace lossbench
