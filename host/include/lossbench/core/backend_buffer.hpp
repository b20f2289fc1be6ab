#pragma once
// Memory where a backend computes: host memory for ref and emu, device memory
// (cudaMalloc) for cuda. RAII, move-only. Used by verify, the CLI and the
// benchmarks so that they run unchanged on every backend.
#include <cstddef>
#include <cstdint>

#include "lossbench/core/backend.hpp"

namespace lossbench {

/// The copies between host memory and a backend's memory that BackendBuffer
/// made since the process started (thread-safe counters). A trainer that
/// keeps its data on the device makes a fixed few per epoch, whatever the
/// number of steps; tests and `train` check that with these.
struct TransferCounts {
  std::uint64_t uploads = 0;
  std::uint64_t downloads = 0;
  std::uint64_t bytes_uploaded = 0;
  std::uint64_t bytes_downloaded = 0;
};
TransferCounts transfer_counts(Backend backend);

class BackendBuffer {
 public:
  BackendBuffer() = default;
  /// Allocates `bytes` (16-byte aligned, possibly more) on the backend; throws BackendError on failure.
  BackendBuffer(Backend backend, std::size_t bytes);
  ~BackendBuffer();
  BackendBuffer(BackendBuffer&& other) noexcept;
  BackendBuffer& operator=(BackendBuffer&& other) noexcept;
  BackendBuffer(const BackendBuffer&) = delete;
  BackendBuffer& operator=(const BackendBuffer&) = delete;

  void* data() const { return data_; }
  std::size_t size() const { return bytes_; }
  Backend backend() const { return backend_; }

  /// Copies host memory in, at a byte offset; synchronous.
  void upload(const void* host, std::size_t bytes, std::size_t offset = 0);
  /// Copies out to host memory, from a byte offset; synchronous (waits for the device).
  void download(void* host, std::size_t bytes, std::size_t offset = 0) const;
  /// Sets every byte to `value` (used to poison outputs and zero workspaces); synchronous.
  void fill_bytes(unsigned char value);

 private:
  void check_range(std::size_t bytes, std::size_t offset, const char* what) const;
  Backend backend_ = Backend::ref;
  void* data_ = nullptr;
  std::size_t bytes_ = 0;
};

}  // namespace lossbench
