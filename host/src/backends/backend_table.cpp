#include "backends/backend_table.hpp"

#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench::detail {
namespace {

const BackendEntry* find_entry(Backend backend) {
  // The dispatch table: one line per backend built into lossbench.
  static const BackendEntry* const entries[] = {&ref_backend(), &emu_backend(), &cuda_backend(), &cpu_backend()};
  for (const BackendEntry* entry : entries) {
    if (entry->backend == backend) return entry;
  }
  return nullptr;
}

std::string name_of(Backend backend) { return std::string(to_string(backend)); }

}  // namespace

const BackendEntry& backend_entry(Backend backend) {
  const BackendEntry* entry = find_entry(backend);
  if (entry == nullptr) throw BackendError("backend " + name_of(backend) + " is not available: " + backend_availability(backend).reason);
  return *entry;
}

const BackendEntry& available_backend(Backend backend) {
  const BackendAvailability availability = backend_availability(backend);
  if (!availability.available) {
    throw BackendError("backend " + name_of(backend) + " is not available: " + availability.reason);
  }
  return backend_entry(backend);
}

void require_facility(const BackendEntry& entry, const void* facility, std::string_view what) {
  if (facility == nullptr) throw BackendError("backend " + name_of(entry.backend) + " cannot run " + std::string(what));
}

}  // namespace lossbench::detail

namespace lossbench {

BackendAvailability backend_availability(Backend backend) {
  const detail::BackendEntry* entry = detail::find_entry(backend);
  if (entry == nullptr) {
    return {false, "this build of lossbench has no " + std::string(to_string(backend)) + " backend"};
  }
  return entry->availability();
}

Backend best_kernel_backend() { return backend_availability(Backend::cuda).available ? Backend::cuda : Backend::emu; }

}  // namespace lossbench
