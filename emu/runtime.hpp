#pragma once
// The emulator's runtime: what emulated device code calls (barriers, warp
// operations, dynamic shared memory) and what launch() calls to run a grid.
// Kernels never include this directly; kernels/common/cuda_compat.cuh brings in
// emu/device_api.hpp, which is built on it.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <source_location>
#include <stdexcept>
#include <string>

#include "emu/device_types.hpp"
#include "lossbench/core/error.hpp"

/// The built-in index variables of CUDA C++, one set per CPU thread, updated
/// by the block runner at every switch between emulated threads. Variables,
/// not macros, so that a struct member named x or threadIdx stays untouched.
/// Initial-exec: kernels read them all the time, and in liblossbench (code
/// built for a shared library) the default TLS model makes every read a
/// call to __tls_get_addr, which made the emulated kernels ~35 % slower.
/// They are 48 bytes, which fit the static TLS that the loader keeps even
/// for a library loaded later with dlopen (the Python extension).
#define LOSSBENCH_EMU_FAST_TLS __attribute__((tls_model("initial-exec")))
inline thread_local LOSSBENCH_EMU_FAST_TLS uint3 threadIdx{0, 0, 0};
inline thread_local LOSSBENCH_EMU_FAST_TLS uint3 blockIdx{0, 0, 0};
inline thread_local LOSSBENCH_EMU_FAST_TLS dim3 blockDim{1, 1, 1};
inline thread_local LOSSBENCH_EMU_FAST_TLS dim3 gridDim{1, 1, 1};
inline constexpr int warpSize = 32;

namespace lossbench::emu {

/// A launch-configuration error or a bug the emulator caught in a kernel
/// (divergent barrier, a warp operation whose lanes never meet, ...). The
/// message names the kernel, the block, the thread and the schedule. A
/// BackendError: to the library's callers the emulator is the emu backend's
/// device, and this is that device failing a launch.
class EmuError : public BackendError {
 public:
  explicit EmuError(const std::string& what) : BackendError(what) {}
};

/// __syncthreads(): waits until every live thread of the block arrives.
/// Threads that have exited no longer count (as on sm_70+). Threads waiting
/// at different call sites at once are a divergent barrier: an EmuError.
void sync_threads(const std::source_location& site);

enum class WarpOpKind { sync, shfl_idx, shfl_up, shfl_down, shfl_xor, ballot };

/// One warp-synchronous operation: waits for every lane named in `mask`,
/// then returns this lane's result (for shuffles, the source lane's `value`;
/// for ballot, the mask of lanes whose `value` is non-zero). `param` is the
/// source lane, delta or lane mask; `width` the shuffle segment width.
std::uint64_t warp_op(WarpOpKind kind, unsigned mask, std::uint64_t value, int param, int width);

/// The block's dynamic shared memory: an exact-size heap buffer per block
/// (so AddressSanitizer sees overruns), filled with 0xff bytes at block start.
void* dynamic_shared_memory();

/// Fills a static shared variable with 0xff bytes the first time any thread
/// of the running block reaches its declaration (LOSSBENCH_SHARED), and
/// never again in that block, so that values other threads wrote survive.
void poison_shared_once_per_block(void* address, std::size_t bytes);

/// What launch() hands to the runtime: the configuration and the kernel call.
struct LaunchRequest {
  std::string kernel_name;
  const void* kernel = nullptr;  // for its opt-in dynamic shared memory limit
  dim3 grid;
  dim3 block;
  std::size_t shared_bytes = 0;
};

/// Throws EmuError, worded like CUDA's errors, for a configuration a GPU
/// would refuse: a zero dimension, more than 1024 threads per block or
/// over (1024, 1024, 64), a grid over (2^31 − 1, 65535, 65535), or more
/// dynamic shared memory than the kernel may use: 48 KiB, unless it opted in
/// to more with set_max_dynamic_shared.
void check_launch_configuration(const LaunchRequest& request);

/// What a GPU lets a kernel opt in to (cudaFuncAttributeMaxDynamicSharedMemorySize):
/// the emulator pretends to be an H100, 227 KiB per block.
inline constexpr int kMaxDynamicSharedOptIn = 227 * 1024;

/// cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes):
/// false (cudaErrorInvalidValue) for bytes < 0 or over kMaxDynamicSharedOptIn.
bool set_max_dynamic_shared(const void* kernel, int bytes);

/// Runs every block of the grid, each thread calling `body`. Returns when all
/// blocks are done; throws EmuError for bugs found, or what a thread threw.
void run_grid(const LaunchRequest& request, const std::function<void()>& body);

/// Demangled name of the function at `address`, or a description of it.
std::string function_name(const void* address);

}  // namespace lossbench::emu
