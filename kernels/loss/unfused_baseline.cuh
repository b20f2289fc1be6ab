#pragma once
// The unfused baseline: sigmoid, loss and gradient the way an eager framework
// computes them, one kernel per step with intermediates in memory:
//   a = σ(z)                  sigmoid_kernel            read z, write a
//   ℓ_i = loss(a_i, y_i)      loss_from_output_kernel   read a, y, write ℓ (float)
//   C = Σ ℓ_i (· 1/n)         cub::DeviceReduce::Sum, then scale_kernel
//   g_i = dC/dz_i             grad_from_output_kernel   read a, y, write g
// A generous baseline: the backward is one kernel, not a loss backward
// followed by a sigmoid backward. ℓ is kept in float32 for the reduction.
// BCE from a probability clamps its logarithms at −100, as PyTorch's
// BCELoss does: the baseline is exactly as inaccurate for saturated logits as
// the framework it stands for. MSE on the raw output (activation identity)
// has no sigmoid step: the loss and gradient kernels read z itself.
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/common/element_types.cuh"
#include "kernels/loss/loss_math.cuh"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

__device__ __forceinline__ std::int64_t grid_stride_start() {
  return std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x;
}
__device__ __forceinline__ std::int64_t grid_stride() { return std::int64_t{gridDim.x} * blockDim.x; }

template <class T>
__global__ void sigmoid_kernel(const T* z, T* a, std::int64_t n) {
  for (std::int64_t i = grid_stride_start(); i < n; i += grid_stride()) {
    a[i] = from_float<T>(sigmoid_pair(to_float(z[i])).a);
  }
}

struct MseFromOutput {
  __host__ __device__ __forceinline__ static float loss(float a, float y) { return 0.5f * (y - a) * (y - a); }
  __host__ __device__ __forceinline__ static float grad(float a, float y) { return (a - y) * a * (1.0f - a); }
};

struct IdentityMseFromOutput {  // a = z
  __host__ __device__ __forceinline__ static float loss(float a, float y) { return 0.5f * (y - a) * (y - a); }
  __host__ __device__ __forceinline__ static float grad(float a, float y) { return a - y; }
};

struct BceFromOutput {
  __host__ __device__ __forceinline__ static float clamped_log(float x) { return fmaxf(logf(x), -100.0f); }
  __host__ __device__ __forceinline__ static float loss(float a, float y) {
    return -(y * clamped_log(a) + (1.0f - y) * clamped_log(1.0f - a));
  }
  __host__ __device__ __forceinline__ static float grad(float a, float y) { return a - y; }
};

template <class Loss, class T>
__global__ void loss_from_output_kernel(const T* a, const T* y, float* loss, std::int64_t n) {
  for (std::int64_t i = grid_stride_start(); i < n; i += grid_stride()) {
    loss[i] = Loss::loss(to_float(a[i]), to_float(y[i]));
  }
}

template <class Loss, class T>
__global__ void grad_from_output_kernel(const T* a, const T* y, T* grad, std::int64_t n, float multiplier) {
  for (std::int64_t i = grid_stride_start(); i < n; i += grid_stride()) {
    grad[i] = from_float<T>(Loss::grad(to_float(a[i]), to_float(y[i])) * multiplier);
  }
}

/// The reduced loss: the float sum times 1 (sum) or 1/n (mean).
__global__ void scale_kernel(const float* sum, double* out, double multiplier) {
  *out = static_cast<double>(*sum) * multiplier;
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
