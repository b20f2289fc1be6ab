#pragma once
// A stack for one emulated thread: mmap'd, with an inaccessible guard page
// below it so that an overflow faults at once instead of corrupting the
// neighbouring stack. Reused from block to block.
#include <cstddef>

namespace lossbench::emu {

class FiberStack {
 public:
  explicit FiberStack(std::size_t usable_bytes);
  ~FiberStack();
  FiberStack(const FiberStack&) = delete;
  FiberStack& operator=(const FiberStack&) = delete;

  void* bottom() const { return usable_; }
  /// One past the highest usable byte: where a stack growing down starts.
  void* top() const { return static_cast<char*>(usable_) + usable_bytes_; }
  std::size_t size() const { return usable_bytes_; }

 private:
  void* mapping_ = nullptr;
  std::size_t mapping_bytes_ = 0;
  void* usable_ = nullptr;
  std::size_t usable_bytes_ = 0;
};

}  // namespace lossbench::emu
