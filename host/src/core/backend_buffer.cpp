#include "lossbench/core/backend_buffer.hpp"

#include <array>
#include <atomic>
#include <string>
#include <utility>

#include "backends/backend_table.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench {

namespace {

const detail::BackendMemory& memory_of(Backend backend) { return detail::backend_entry(backend).memory; }

struct AtomicTransferCounts {
  std::atomic<std::uint64_t> uploads{0};
  std::atomic<std::uint64_t> downloads{0};
  std::atomic<std::uint64_t> bytes_uploaded{0};
  std::atomic<std::uint64_t> bytes_downloaded{0};
};

AtomicTransferCounts& counts_of(Backend backend) {
  static std::array<AtomicTransferCounts, 4> counts;  // one per Backend value
  return counts.at(static_cast<std::size_t>(backend));
}

}  // namespace

TransferCounts transfer_counts(Backend backend) {
  const AtomicTransferCounts& c = counts_of(backend);
  return {c.uploads.load(), c.downloads.load(), c.bytes_uploaded.load(), c.bytes_downloaded.load()};
}

BackendBuffer::BackendBuffer(Backend backend, std::size_t bytes) : backend_(backend), bytes_(bytes) {
  data_ = detail::available_backend(backend).memory.allocate(bytes);
}

BackendBuffer::~BackendBuffer() {
  if (data_ != nullptr) memory_of(backend_).release(data_);
}

BackendBuffer::BackendBuffer(BackendBuffer&& other) noexcept
    : backend_(other.backend_), data_(std::exchange(other.data_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

BackendBuffer& BackendBuffer::operator=(BackendBuffer&& other) noexcept {
  if (this != &other) {
    BackendBuffer old(std::move(*this));
    backend_ = other.backend_;
    data_ = std::exchange(other.data_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

void BackendBuffer::check_range(std::size_t bytes, std::size_t offset, const char* what) const {
  if (offset > bytes_ || bytes > bytes_ - offset) {
    throw InputError(std::string("BackendBuffer::") + what + ": " + std::to_string(bytes) + " bytes at offset " +
                     std::to_string(offset) + " exceed the buffer's " + std::to_string(bytes_));
  }
}

void BackendBuffer::upload(const void* host, std::size_t bytes, std::size_t offset) {
  check_range(bytes, offset, "upload");
  if (bytes == 0) return;
  char* destination = static_cast<char*>(data_) + offset;
  memory_of(backend_).copy_in(destination, host, bytes);
  AtomicTransferCounts& counts = counts_of(backend_);
  ++counts.uploads;
  counts.bytes_uploaded += bytes;
}

void BackendBuffer::download(void* host, std::size_t bytes, std::size_t offset) const {
  check_range(bytes, offset, "download");
  if (bytes == 0) return;
  const char* source = static_cast<const char*>(data_) + offset;
  memory_of(backend_).copy_out(host, source, bytes);
  AtomicTransferCounts& counts = counts_of(backend_);
  ++counts.downloads;
  counts.bytes_downloaded += bytes;
}

void BackendBuffer::fill_bytes(unsigned char value) {
  if (bytes_ == 0) return;
  memory_of(backend_).fill_bytes(data_, value, bytes_);
}

}  // namespace lossbench
