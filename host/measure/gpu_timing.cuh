#pragma once
// Timing on the GPU: an RAII pair of CUDA events, a cache flush that evicts
// the whole L2 before a cold measurement, and the device's copy bandwidth,
// the peak every GPU case is reported against.
#include <cuda_runtime.h>

#include <cstddef>

namespace lossbench::measure {

/// Two CUDA events around work on a stream; elapsed time in milliseconds.
class EventTimer {
 public:
  EventTimer();
  ~EventTimer();
  EventTimer(const EventTimer&) = delete;
  EventTimer& operator=(const EventTimer&) = delete;

  void start(cudaStream_t stream);
  /// Records the stop event, waits for it, and returns the time since start().
  double stop_milliseconds(cudaStream_t stream);

 private:
  cudaEvent_t start_ = nullptr;
  cudaEvent_t stop_ = nullptr;
};

/// A buffer as large as the device's L2 (read from the device), rewritten
/// before every cold sample so that no input of the measured kernel is still
/// cached. Allocated once per run.
class L2Flush {
 public:
  L2Flush();
  ~L2Flush();
  L2Flush(const L2Flush&) = delete;
  L2Flush& operator=(const L2Flush&) = delete;

  /// Overwrites every byte of the buffer with `value` on `stream`.
  void flush(cudaStream_t stream, unsigned char value = 0xa5);
  std::size_t bytes() const { return bytes_; }
  const void* data() const { return buffer_; }

 private:
  void* buffer_ = nullptr;
  std::size_t bytes_ = 0;
};

/// The L2 size the device reports, in bytes.
std::size_t device_l2_bytes();

/// Best of several device-to-device copies of 256 MiB, in bytes per second,
/// counting bytes read plus bytes written.
double measure_device_copy_bandwidth();

}  // namespace lossbench::measure
