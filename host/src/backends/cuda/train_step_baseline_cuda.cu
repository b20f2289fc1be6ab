// The framework-style training step on the GPU (train_step_baseline.hpp):
// cuBLAS for the two GEMMs, the bias broadcast, the loss scaling and the
// bias gradient, our fused loss kernel for dℓ/dz.
//
// cuBLAS is column-major and our matrices are row-major. A row-major r × c
// matrix is, in the same memory, a column-major c × r matrix, its transpose;
// so each row-major product C = A·B is computed as the column-major Cᵀ = Bᵀ·Aᵀ
// with the operands' leading dimension equal to their row-major row length.
#include <cublas_v2.h>
#include <nvtx3/nvtx3.hpp>

#include "backends/cuda/cuda_backend.hpp"
#include "backends/cuda/cuda_check.hpp"
#include "lossbench/loss/fused_loss.hpp"

namespace lossbench::detail {

void* blas_create() {
  cublasHandle_t handle = nullptr;
  LOSSBENCH_CUBLAS_CHECK(cublasCreate(&handle));
  // fp32 FMAs, as in the fused kernel; TF32 would change the error bound, not just the speed.
  const cublasStatus_t math = cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH);
  const cublasStatus_t pointers = cublasSetPointerMode(handle, CUBLAS_POINTER_MODE_HOST);
  if (math != CUBLAS_STATUS_SUCCESS || pointers != CUBLAS_STATUS_SUCCESS) {
    cublasDestroy(handle);
    LOSSBENCH_CUBLAS_CHECK(math);
    LOSSBENCH_CUBLAS_CHECK(pointers);
  }
  return handle;
}

void blas_destroy(void* handle) noexcept {
  if (handle != nullptr) cublasDestroy(static_cast<cublasHandle_t>(handle));
}

void train_step_baseline_cuda(const TrainStepCall& call, const TrainStepBaselineBuffers& buffers, void* blas,
                              void* stream) {
  const nvtx3::scoped_range range{"lossbench::train_step_baseline"};
  const auto handle = static_cast<cublasHandle_t>(blas);
  LOSSBENCH_CUBLAS_CHECK(cublasSetStream(handle, static_cast<cudaStream_t>(stream)));
  LOSSBENCH_CUBLAS_CHECK(cublasSetWorkspace(handle, buffers.blas_workspace, buffers.blas_workspace_bytes));
  const int n = static_cast<int>(call.n);  // TrainStepBaseline checked n <= 2^31 - 1
  const int d = call.d;
  const int k = call.k;
  const auto* inputs = static_cast<const float*>(call.inputs);  // TrainStepBaseline checked: f32
  const float one = 1.0f;
  const float zero = 0.0f;

  // Z (n × k) ← 1·bᵀ: column-major Zᵀ (k × n) = b (k × 1) · 1ᵀ (1 × n). What
  // a framework's addmm does first when it cannot fuse the bias: one write of Z.
  LOSSBENCH_CUBLAS_CHECK(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, k, n, 1, &one, call.bias, k, buffers.ones, 1,
                                     &zero, buffers.logits, k));
  // Z ← X·W + Z: Zᵀ (k × n) = Wᵀ (k × d, ld k) · Xᵀ (d × n, ld d) + Zᵀ.
  LOSSBENCH_CUBLAS_CHECK(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, k, n, d, &one, call.weights, k, inputs, d,
                                     &one, buffers.logits, k));

  // dZ = (1/n)·dℓ/dz and Σ_ij ℓ_ij over the n·k elements: reduction sum with
  // grad_scale 1/n gives exactly train_step's dZ (the same float multiplier
  // 1/n rounded once, the same product per element); the loss is Σℓ, and
  // train_step's L = Σℓ / n is one DSCAL away.
  FusedLossCall loss;
  loss.loss = call.loss;
  loss.reduction = Reduction::sum;
  loss.dtype = DType::f32;
  loss.logits = buffers.logits;
  loss.targets = call.targets;
  loss.grad = buffers.grads;
  loss.reduced_loss = call.loss_value;
  loss.n = call.n * k;
  loss.grad_scale = static_cast<float>(gradient_multiplier(Reduction::mean, call.n, 1.0));
  fused_loss_cuda(loss, buffers.loss_workspace, stream);
  const double inverse_n = reduction_multiplier(Reduction::mean, call.n);
  LOSSBENCH_CUBLAS_CHECK(cublasDscal(handle, 1, &inverse_n, call.loss_value, 1));

  // dW (d × k) ← Xᵀ·dZ: dWᵀ (k × d) = dZᵀ (k × n, ld k) · X (n × d), X being
  // the transpose of the column-major d × n view of its memory (ld d).
  LOSSBENCH_CUBLAS_CHECK(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_T, k, d, n, &one, buffers.grads, k, inputs, d,
                                     &zero, call.grad_weights, k));
  // db (k) ← dZᵀ·1: the column sums of dZ, as column-major dZᵀ (k × n) times n ones.
  LOSSBENCH_CUBLAS_CHECK(cublasSgemv(handle, CUBLAS_OP_N, k, n, &one, buffers.grads, k, buffers.ones, 1, &zero,
                                     call.grad_bias, 1));
}

}  // namespace lossbench::detail
