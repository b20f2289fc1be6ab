#pragma once
// The backends behind the public API, as one table. Each entry says what a
// backend provides, as function pointers (null where it provides nothing),
// and how to reach its memory. The facilities (fused_loss(), train_step(),
// the baselines, BackendBuffer) validate their arguments and then call
// through the entry; none of them names a backend.
//
// A new backend is a folder beside ref/, emu/, cuda/ and cpu/ that defines its
// entry, plus one line in backend_table.cpp. Internal.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kernels/loss/softmax_unfused_baseline_buffers.hpp"
#include "kernels/loss/unfused_baseline_buffers.hpp"
#include "lossbench/core/backend.hpp"
#include "lossbench/core/loss_kind.hpp"
#include "lossbench/loss/fused_loss.hpp"
#include "lossbench/loss/gaussian_nll.hpp"
#include "lossbench/loss/softmax_loss.hpp"
#include "lossbench/train/evaluate.hpp"
#include "lossbench/train/train_step.hpp"

namespace lossbench::detail {

/// Memory a backend computes on: host memory for ref and emu, device memory
/// for cuda. Each call throws BackendError on failure.
struct BackendMemory {
  void* (*allocate)(std::size_t bytes);  // at least 256-byte aligned, as cudaMalloc's
  void (*release)(void* memory) noexcept;
  void (*copy_in)(void* memory, const void* host, std::size_t bytes);
  void (*copy_out)(void* host, const void* memory, std::size_t bytes);  // waits until the data is there
  void (*fill_bytes)(void* memory, unsigned char value, std::size_t bytes);  // synchronous
  void (*synchronize)();  // waits for all work the backend was given
};

/// Where the unfused baseline keeps its intermediates.
using UnfusedBuffers = kernels::UnfusedIntermediates;

/// Where the unfused softmax cross-entropy baseline keeps its intermediates.
using SoftmaxUnfusedBuffers = kernels::SoftmaxUnfusedIntermediates;

/// The framework-style step of train_step_baseline.hpp: where its
/// intermediates live in its workspace.
struct TrainStepBaselineBuffers {
  float* logits;         // Z: n × k
  float* grads;          // dZ: n × k
  const float* ones;     // n ones
  void* loss_workspace;  // the fused loss kernel's, zeroed once
  void* blas_workspace;
  std::size_t blas_workspace_bytes;
};

/// Recording launches once and replaying them: CUDA Graphs on cuda, the
/// emulator's replay lists on emu, from one source
/// (backends/launch/launch_sequence.cuh). Each call throws BackendError on failure.
struct LaunchSequences {
  void* (*create_stream)();  // a stream that can be captured
  void (*destroy_stream)(void* stream) noexcept;
  void (*begin_capture)(void* stream);  // launches on `stream` are recorded, not run
  void* (*end_capture)(void* stream);   // the recorded launches, ready to replay
  void (*replay)(void* sequence, void* stream);
  void (*destroy)(void* sequence) noexcept;
  void (*synchronize)(void* stream);  // waits for the stream's work
};

struct BackendEntry {
  Backend backend;
  /// Whether the backend can run now, and if not why (asked once per process where that is slow).
  BackendAvailability (*availability)();
  BackendMemory memory;
  /// Its memory is host memory, which the API may read to check arguments (row indices).
  bool host_addressable;

  // fused_loss(): workspace bytes for a shape, and the validated call.
  std::size_t (*fused_loss_workspace)(std::int64_t n, Reduction reduction);
  void (*fused_loss)(const FusedLossCall& call, void* workspace, void* stream);

  // softmax_loss(): workspace bytes for a call (its shape and options), and the validated call.
  std::size_t (*softmax_loss_workspace)(const SoftmaxLossCall& call);
  void (*softmax_loss)(const SoftmaxLossCall& call, void* workspace, void* stream);

  // gaussian_nll(): workspace bytes for a shape, and the validated call.
  std::size_t (*gaussian_nll_workspace)(std::int64_t n, Reduction reduction);
  void (*gaussian_nll)(const GaussianNllCall& call, void* workspace, void* stream);

  // train_step(): the shapes it takes, workspace bytes, and the validated call.
  TrainStepLimits train_step_limits;
  std::size_t (*train_step_workspace)(std::int64_t n, int d, int k);
  void (*train_step)(const TrainStepCall& call, void* workspace, void* stream);

  // evaluate(): workspace bytes for a shape, and the validated call.
  std::size_t (*evaluate_workspace)(std::int64_t n, int d, int k);
  void (*evaluate)(const EvaluateCall& call, void* workspace, void* stream);

  /// Null members: the backend has no launches to record (ref).
  LaunchSequences sequences;

  // The unfused baseline of fused_loss() (null: not on this backend).
  std::size_t (*unfused_temp_bytes)(std::int64_t n);
  void (*unfused)(const FusedLossCall& call, const UnfusedBuffers& buffers, void* stream);

  // The unfused baseline of softmax_loss() (null: not on this backend).
  std::size_t (*softmax_unfused_temp_bytes)(std::int64_t rows);
  void (*softmax_unfused)(const SoftmaxLossCall& call, const SoftmaxUnfusedBuffers& buffers, void* stream);

  // The cuBLAS baseline of train_step() (null: not on this backend). The
  // handle is a cublasHandle_t: fp32 math without TF32, host scalars.
  void* (*blas_create)();
  void (*blas_destroy)(void* handle) noexcept;
  void (*train_step_baseline)(const TrainStepCall& call, const TrainStepBaselineBuffers& buffers, void* blas,
                              void* stream);
};

/// The entry of `backend`; throws BackendError when this build has none.
const BackendEntry& backend_entry(Backend backend);

/// The entry of a backend that can run now; otherwise throws BackendError
/// "backend X is not available: <why>", the one place that says so.
const BackendEntry& available_backend(Backend backend);

/// Throws BackendError "backend X cannot run <what>" when the entry lacks a facility.
void require_facility(const BackendEntry& entry, const void* facility, std::string_view what);
template <class F>
F require_facility(const BackendEntry& entry, F facility, std::string_view what) {
  require_facility(entry, reinterpret_cast<const void*>(facility), what);
  return facility;
}

// The entries, one per backend folder.
const BackendEntry& ref_backend();
const BackendEntry& emu_backend();
const BackendEntry& cuda_backend();
const BackendEntry& cpu_backend();

}  // namespace lossbench::detail
