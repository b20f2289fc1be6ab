#pragma once
// What the current GPU is, as the CUDA runtime describes it: the facts a
// benchmark report needs to say which machine its numbers come from.
#include <cstdint>
#include <string>

namespace lossbench {

struct GpuDeviceDescription {
  std::string name;                   // e.g. "NVIDIA H100 80GB HBM3"
  int compute_capability_major = 0;
  int compute_capability_minor = 0;
  int sm_count = 0;
  std::int64_t l2_bytes = 0;
  std::int64_t memory_bytes = 0;      // global memory
  int memory_bus_width_bits = 0;
  int sm_clock_khz = 0;               // peak clocks, as the runtime reports them (0 if it does not)
  int memory_clock_khz = 0;
  std::int64_t shared_memory_per_block_optin_bytes = 0;  // the most a kernel can opt in to
  int driver_version = 0;             // CUDA's encoding: 1000 * major + 10 * minor (13000 = 13.0)
  int runtime_version = 0;

  /// 2 transfers per memory clock (DDR) times the bus width: the figure a data
  /// sheet quotes, which a copy reaches ~90 % of. 0 when the clock is unknown.
  double nominal_memory_bandwidth_bytes_per_second() const {
    return 2.0 * memory_clock_khz * 1e3 * memory_bus_width_bits / 8.0;
  }
};

/// The current device. Throws BackendError naming CUDA's error when there is
/// no usable GPU, or when this build has no CUDA backend.
GpuDeviceDescription describe_gpu_device();

}  // namespace lossbench
