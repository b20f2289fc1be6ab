// The cuda backend of gaussian_nll(): the kernel on the GPU through the same
// launcher the emulator runs, with the grid sized by the occupancy API.
#include <nvtx3/nvtx3.hpp>

#include "backends/cuda/cuda_backend.hpp"
#include "backends/cuda/kernel_capacity.hpp"
#include "backends/launch/gaussian_nll_launch.cuh"

namespace lossbench::detail {

void gaussian_nll_cuda(const GaussianNllCall& call, void* workspace, void* stream) {
  // A named range per call for Nsight Systems; costs nothing without a tool attached.
  const nvtx3::scoped_range range{"lossbench::gaussian_nll"};
  const auto capacity_of = [](auto kernel) {
    return kernel_capacity(reinterpret_cast<const void*>(kernel), kernels::kGaussianNllBlockThreads);
  };
  kernels::launch_gaussian_nll(call, workspace, static_cast<cudaStream_t>(stream), capacity_of);
}

}  // namespace lossbench::detail
