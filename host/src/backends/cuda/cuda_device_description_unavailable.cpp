// describe_gpu_device() in a build without the CUDA toolkit: there is no
// device to describe, and this says why.
#include "lossbench/core/backend.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/core/gpu_device.hpp"

namespace lossbench {

GpuDeviceDescription describe_gpu_device() { throw BackendError(backend_availability(Backend::cuda).reason); }

}  // namespace lossbench
