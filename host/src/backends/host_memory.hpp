#pragma once
// Host memory as a backend's memory, for the backends that compute on the
// host (ref, emu). Internal.
#include "backends/backend_table.hpp"

namespace lossbench::detail {

/// aligned_alloc'd host memory, aligned like cudaMalloc's (256 bytes) so that
/// the kernels' vector paths see the same alignment in the emulator as on a
/// GPU; copies are memcpy, and there is nothing to wait for.
BackendMemory host_memory();

}  // namespace lossbench::detail
