#include "lossbench/verify/guarded_array.hpp"

#include <algorithm>
#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench {

GuardedArray::GuardedArray(Backend backend, std::size_t element_bytes, std::int64_t n, int offset)
    : element_bytes_(element_bytes),
      n_(n),
      front_(kGuardElements + offset),
      buffer_(backend, bytes(front_ + n + kGuardElements)) {}

std::size_t GuardedArray::bytes(std::int64_t elements) const {
  return static_cast<std::size_t>(elements) * element_bytes_;
}

void* GuardedArray::data() const { return static_cast<char*>(buffer_.data()) + bytes(front_); }

void GuardedArray::poison() { buffer_.fill_bytes(kPoisonByte); }

void GuardedArray::upload(const void* host, std::size_t byte_count) {
  if (byte_count > bytes(n_)) {
    throw InputError("GuardedArray: uploading " + std::to_string(byte_count) + " bytes into an array of " +
                     std::to_string(bytes(n_)));
  }
  buffer_.upload(host, byte_count, bytes(front_));
}

GuardedContents GuardedArray::download() const {
  std::vector<unsigned char> all(buffer_.size());
  buffer_.download(all.data(), all.size());
  const auto begin = all.begin() + static_cast<std::ptrdiff_t>(bytes(front_));
  const auto end = all.begin() + static_cast<std::ptrdiff_t>(bytes(front_ + n_));
  const auto is_poison = [](unsigned char b) { return b == kPoisonByte; };
  GuardedContents contents;
  contents.payload.assign(begin, end);
  contents.guards_intact = std::all_of(all.begin(), begin, is_poison) && std::all_of(end, all.end(), is_poison);
  return contents;
}

}  // namespace lossbench
