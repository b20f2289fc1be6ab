#include "lossbench/core/device_buffer.hpp"

#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "backends/backends.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench {

DeviceBuffer::DeviceBuffer(Backend backend, std::size_t bytes) : backend_(backend), bytes_(bytes) {
  if (backend == Backend::cuda) {
    data_ = detail::cuda_allocate(bytes);
    return;
  }
  // Host memory, aligned like cudaMalloc's (256 bytes) so that the vector
  // paths of the kernels see the same alignment in the emulator as on a GPU.
  const std::size_t rounded = (bytes + 255) / 256 * 256;
  data_ = std::aligned_alloc(256, rounded == 0 ? 256 : rounded);
  if (data_ == nullptr) throw BackendError("cannot allocate " + std::to_string(bytes) + " bytes of host memory");
}

DeviceBuffer::~DeviceBuffer() {
  if (data_ == nullptr) return;
  if (backend_ == Backend::cuda) {
    detail::cuda_free(data_);
  } else {
    std::free(data_);
  }
}

DeviceBuffer::DeviceBuffer(DeviceBuffer&& other) noexcept
    : backend_(other.backend_), data_(std::exchange(other.data_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& other) noexcept {
  if (this != &other) {
    DeviceBuffer old(std::move(*this));
    backend_ = other.backend_;
    data_ = std::exchange(other.data_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

void DeviceBuffer::check_range(std::size_t bytes, std::size_t offset, const char* what) const {
  if (offset > bytes_ || bytes > bytes_ - offset) {
    throw InputError(std::string("DeviceBuffer::") + what + ": " + std::to_string(bytes) + " bytes at offset " +
                     std::to_string(offset) + " exceed the buffer's " + std::to_string(bytes_));
  }
}

void DeviceBuffer::upload(const void* host, std::size_t bytes, std::size_t offset) {
  check_range(bytes, offset, "upload");
  if (bytes == 0) return;
  char* destination = static_cast<char*>(data_) + offset;
  if (backend_ == Backend::cuda) return detail::cuda_copy_to_device(destination, host, bytes);
  std::memcpy(destination, host, bytes);
}

void DeviceBuffer::download(void* host, std::size_t bytes, std::size_t offset) const {
  check_range(bytes, offset, "download");
  if (bytes == 0) return;
  const char* source = static_cast<const char*>(data_) + offset;
  if (backend_ == Backend::cuda) return detail::cuda_copy_to_host(host, source, bytes);
  std::memcpy(host, source, bytes);
}

void DeviceBuffer::fill_bytes(unsigned char value) {
  if (bytes_ == 0) return;
  if (backend_ == Backend::cuda) return detail::cuda_fill_bytes(data_, value, bytes_);
  std::memset(data_, value, bytes_);
}

}  // namespace lossbench
