#pragma once
// Host-side launch logic of the Gaussian NLL kernel (kernels/loss/gaussian_nll.cuh),
// compiled by nvcc for the cuda backend and by g++ for the emulator, so both
// run the same parameter set-up, grid sizing and template dispatch.
#include <cstdint>

#include "kernels/common/cuda_compat.cuh"
#include "kernels/loss/gaussian_nll.cuh"
#include "backends/launch/kernel_launch.cuh"
#include "backends/launch/persistent_grid.hpp"
#include "backends/launch/storage_type.hpp"
#include "lossbench/loss/gaussian_nll.hpp"

namespace lossbench::kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {

/// The kernel's parameters for a validated call; `workspace` holds
/// gaussian_nll_workspace_layout(call.n).total_bytes for sum and mean.
template <class T>
GaussianNllKernelParams<T> make_gaussian_nll_params(const GaussianNllCall& call, void* workspace) {
  GaussianNllKernelParams<T> p;
  p.mu = static_cast<const T*>(call.mu);
  p.target = static_cast<const T*>(call.target);
  p.var = static_cast<const T*>(call.var);
  p.grad_mu = static_cast<T*>(call.grad_mu);
  p.grad_var = static_cast<T*>(call.grad_var);
  p.elementwise_loss = static_cast<T*>(call.elementwise_loss);
  p.n = call.n;
  // One rounding of grad_scale/n (computed in double) per call, one of the product per element.
  p.grad_multiplier = static_cast<float>(gradient_multiplier(call.reduction, call.n, call.grad_scale));
  p.math.eps = call.eps;
  p.math.full = call.full;
  if (call.reduction != Reduction::none) {
    const GaussianNllWorkspaceLayout layout = gaussian_nll_workspace_layout(call.n);
    p.tile_partials = static_cast<float*>(workspace);
    p.blocks_done = reinterpret_cast<unsigned int*>(static_cast<char*>(workspace) + layout.counter_offset);
    p.reduced_loss = call.reduced_loss;
    p.reduction_multiplier = reduction_multiplier(call.reduction, call.n);
  }
  p.vectorized = aligned16(p.mu) && aligned16(p.target) && aligned16(p.var) && aligned16(p.grad_mu) &&
                 aligned16(p.grad_var) && aligned16(p.elementwise_loss);
  return p;
}

// `capacity_of(kernel)` returns the DeviceCapacity for that kernel: from the
// occupancy API on a GPU, a fixed pretend device in the emulator.
template <unsigned kOutputs, class T, class Stream, class CapacityOf>
void launch_gaussian_nll_variant(const GaussianNllKernelParams<T>& p, Stream stream, CapacityOf&& capacity_of) {
  const auto kernel = &gaussian_nll_kernel<kOutputs, T>;
  const unsigned int grid = persistent_grid_size(gaussian_nll_tile_count(p.n), capacity_of(kernel));
  lossbench::launch(kernel, dim3(grid), dim3(kGaussianNllBlockThreads), 0, stream, p);
}

// One kernel per combination of outputs: kOutputs is a template argument so
// that an output not asked for costs neither a store nor a branch.
template <unsigned kFixed, class T, class Stream, class CapacityOf>
void launch_gaussian_nll_gradients(const GaussianNllKernelParams<T>& p, Stream stream, CapacityOf&& capacity_of) {
  const bool grad_mu = p.grad_mu != nullptr;
  const bool grad_var = p.grad_var != nullptr;
  if (grad_mu && grad_var) {
    return launch_gaussian_nll_variant<kFixed | kWritesGradMu | kWritesGradVar>(p, stream, capacity_of);
  }
  if (grad_mu) return launch_gaussian_nll_variant<kFixed | kWritesGradMu>(p, stream, capacity_of);
  if (grad_var) return launch_gaussian_nll_variant<kFixed | kWritesGradVar>(p, stream, capacity_of);
  if constexpr (kFixed != 0) launch_gaussian_nll_variant<kFixed>(p, stream, capacity_of);
  // kFixed == 0: reduction none with no output at all, nothing to compute.
}

template <class T, class Stream, class CapacityOf>
void launch_gaussian_nll_for(const GaussianNllCall& call, void* workspace, Stream stream, CapacityOf&& capacity_of) {
  const GaussianNllKernelParams<T> p = make_gaussian_nll_params<T>(call, workspace);
  if (call.reduction != Reduction::none) return launch_gaussian_nll_gradients<kReducesLoss>(p, stream, capacity_of);
  if (call.elementwise_loss != nullptr) {
    return launch_gaussian_nll_gradients<kWritesElementLoss>(p, stream, capacity_of);
  }
  launch_gaussian_nll_gradients<0u>(p, stream, capacity_of);
}

/// Launches the variant of the kernel that `call` (validated already) needs.
template <class Stream, class CapacityOf>
void launch_gaussian_nll(const GaussianNllCall& call, void* workspace, Stream stream, CapacityOf&& capacity_of) {
  with_storage_type(call.dtype,
                    [&]<class T>() { launch_gaussian_nll_for<T>(call, workspace, stream, capacity_of); });
}

}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace lossbench::kernels
