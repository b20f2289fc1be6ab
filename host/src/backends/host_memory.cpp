#include "backends/host_memory.hpp"

#include <cstdlib>
#include <cstring>
#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench::detail {
namespace {

void* allocate(std::size_t bytes) {
  const std::size_t rounded = (bytes + 255) / 256 * 256;
  void* memory = std::aligned_alloc(256, rounded == 0 ? 256 : rounded);
  if (memory == nullptr) throw BackendError("cannot allocate " + std::to_string(bytes) + " bytes of host memory");
  return memory;
}

void release(void* memory) noexcept { std::free(memory); }
void copy_in(void* memory, const void* host, std::size_t bytes) { std::memcpy(memory, host, bytes); }
void copy_out(void* host, const void* memory, std::size_t bytes) { std::memcpy(host, memory, bytes); }
void fill_bytes(void* memory, unsigned char value, std::size_t bytes) { std::memset(memory, value, bytes); }
void synchronize() {}

}  // namespace

BackendMemory host_memory() { return {allocate, release, copy_in, copy_out, fill_bytes, synchronize}; }

}  // namespace lossbench::detail
