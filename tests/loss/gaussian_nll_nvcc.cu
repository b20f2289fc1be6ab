// Compiled by nvcc only (never run): the Gaussian NLL kernel and its launcher
// must build as CUDA, every variant the launcher dispatches to (each subset
// of grad_mu, grad_var, per-element loss; reduced or not) for f32, f16 and
// bf16. Built with the project's warnings, so under LOSSBENCH_WERROR ptxas
// refuses any variant that spills or uses local memory.
#include "backends/launch/gaussian_nll_launch.cuh"

namespace lossbench::kernels {

void launch_gaussian_nll_for_nvcc(const GaussianNllCall& call, void* workspace, cudaStream_t stream) {
  launch_gaussian_nll(call, workspace, stream, [](auto) { return DeviceCapacity{132, 4}; });
}

}  // namespace lossbench::kernels
