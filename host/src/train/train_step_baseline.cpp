// TrainStepBaseline: its workspace layout, set-up and argument checks; the
// library calls themselves are in train_step_baseline_cuda.cu.
#include "lossbench/train/train_step_baseline.hpp"

#include <climits>
#include <string>
#include <vector>

#include "backends/backend_table.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/loss/fused_loss.hpp"

namespace lossbench {
namespace {

// cuBLAS asks for a workspace of at least 32 MiB on Hopper (4 MiB elsewhere)
// to run its fastest GEMMs; giving it one of its own also makes its results
// independent of which streams the process uses.
constexpr std::size_t kBlasWorkspaceBytes = std::size_t{32} << 20;

// Each region starts on a 256-byte boundary, like a cudaMalloc, so that the
// fused loss kernel takes its 16-byte vector path and cuBLAS its aligned one.
constexpr std::size_t aligned(std::size_t bytes) { return (bytes + 255) / 256 * 256; }

struct Layout {
  std::size_t logits = 0, grads = 0, ones = 0, loss_workspace = 0, blas_workspace = 0, total = 0;
};

Layout layout_of(std::int64_t n, int k) {
  const std::size_t matrix = aligned(static_cast<std::size_t>(n) * k * sizeof(float));
  Layout l;
  l.logits = 0;
  l.grads = l.logits + matrix;
  l.ones = l.grads + matrix;
  l.loss_workspace = l.ones + aligned(static_cast<std::size_t>(n) * sizeof(float));
  l.blas_workspace = l.loss_workspace + aligned(fused_loss_workspace_size(n * k, Reduction::sum, Backend::cuda));
  l.total = l.blas_workspace + kBlasWorkspaceBytes;
  return l;
}

void require_shape(std::int64_t n, int d, int k) {
  if (n < 1 || n > INT_MAX) {
    throw InputError("train_step_baseline: n = " + std::to_string(n) +
                     " is outside [1, 2^31 - 1] (cuBLAS takes 32-bit dimensions)");
  }
  if (d < 1) throw InputError("train_step_baseline: d must be >= 1, got " + std::to_string(d));
  // The shapes the fused step it is compared with takes.
  const int max_outputs = train_step_limits(Backend::cuda).max_outputs;
  if (k < 1 || k > max_outputs) {
    throw InputError("train_step_baseline: k must be in [1, " + std::to_string(max_outputs) + "], got " +
                     std::to_string(k));
  }
}

// The baseline is cuBLAS's: it runs where the backend has a BLAS (cuda).
const detail::BackendEntry& blas_backend() {
  const detail::BackendEntry& entry = detail::available_backend(Backend::cuda);
  detail::require_facility(entry, entry.train_step_baseline, "the cuBLAS training-step baseline");
  return entry;
}

}  // namespace

std::size_t train_step_baseline_workspace_size(std::int64_t n, int k) {
  require_shape(n, 1, k);
  return layout_of(n, k).total;
}

TrainStepBaseline::TrainStepBaseline(const TrainStepCall& shape)
    : n_(shape.n), d_(shape.d), k_(shape.k) {
  require_shape(n_, d_, k_);
  const Layout l = layout_of(n_, k_);
  const detail::BackendEntry& entry = blas_backend();
  workspace_ = BackendBuffer(entry.backend, l.total);
  // The fused loss kernel wants its workspace zeroed once; it leaves it zeroed after every call.
  workspace_.fill_bytes(0);
  const std::vector<float> ones(static_cast<std::size_t>(n_), 1.0f);
  workspace_.upload(ones.data(), ones.size() * sizeof(float), l.ones);
  // The copy may still be on its way when upload returns; run() may be on a
  // stream that does not wait for the default one.
  entry.memory.synchronize();
  blas_ = entry.blas_create();
}

TrainStepBaseline::~TrainStepBaseline() {
  if (blas_ != nullptr) detail::backend_entry(Backend::cuda).blas_destroy(blas_);
}

void TrainStepBaseline::run(const TrainStepCall& call, void* stream) {
  validate(call);
  // What a framework's step is compared with: a plain step on a float batch.
  if (call.input_type != InputType::f32 || call.row_indices != nullptr || call.learning_rate > 0.0f ||
      call.grad_weights == nullptr) {
    throw InputError("train_step_baseline: takes a plain step (f32 X, no row indices, no update, dW and db out)");
  }
  // Its loss is fused_loss(), which is elementwise.
  if (!is_elementwise(call.loss)) {
    throw InputError("train_step_baseline: takes mse or bce (the fused elementwise loss), not " +
                     std::string(to_string(call.loss)));
  }
  if (call.n != n_ || call.d != d_ || call.k != k_) {
    throw InputError("train_step_baseline: set up for n = " + std::to_string(n_) + ", d = " + std::to_string(d_) +
                     ", k = " + std::to_string(k_) + ", called with n = " + std::to_string(call.n) +
                     ", d = " + std::to_string(call.d) + ", k = " + std::to_string(call.k));
  }
  const Layout l = layout_of(n_, k_);
  char* base = static_cast<char*>(workspace_.data());
  const detail::TrainStepBaselineBuffers buffers{reinterpret_cast<float*>(base + l.logits),
                                                 reinterpret_cast<float*>(base + l.grads),
                                                 reinterpret_cast<const float*>(base + l.ones),
                                                 base + l.loss_workspace,
                                                 base + l.blas_workspace,
                                                 l.total - l.blas_workspace};
  blas_backend().train_step_baseline(call, buffers, blas_, stream);
}

}  // namespace lossbench
