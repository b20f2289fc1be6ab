#pragma once
// Where a computation runs.
#include <string>
#include <string_view>
#include <vector>

namespace lossbench {

/// ref:  the double-precision CPU reference (host pointers, synchronous).
/// emu:  the CUDA kernels run on the CPU by the SIMT emulator (host pointers, synchronous).
/// cuda: the CUDA kernels on the current GPU (device pointers, stream-ordered).
/// cpu:  float32 on the CPU: Highway SIMD and threads over fixed tiles (host pointers, synchronous;
///       the same bits for every thread count).
enum class Backend { ref, emu, cuda, cpu };

std::string_view to_string(Backend backend);
/// Parses "ref|emu|cuda|cpu"; throws InputError otherwise.
Backend parse_backend(std::string_view name);

/// Whether this build can run on the backend now, and if not, why not.
struct BackendAvailability {
  bool available;
  std::string reason;  // empty when available
};
BackendAvailability backend_availability(Backend backend);

/// cuda when a GPU is usable, else emu: where the kernels run by default.
Backend best_kernel_backend();

}  // namespace lossbench
