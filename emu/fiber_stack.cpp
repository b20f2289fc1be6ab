#include "emu/fiber_stack.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "emu/runtime.hpp"

namespace lossbench::emu {

FiberStack::FiberStack(std::size_t usable_bytes) {
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  usable_bytes_ = (usable_bytes + page - 1) / page * page;
  mapping_bytes_ = usable_bytes_ + page;
  mapping_ = mmap(nullptr, mapping_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                  -1, 0);
  if (mapping_ == MAP_FAILED) {
    mapping_ = nullptr;
    throw EmuError("emulator: cannot map a " + std::to_string(mapping_bytes_) + "-byte fiber stack: " +
                   std::strerror(errno));
  }
  // Stacks grow down: the guard page is the lowest one.
  if (mprotect(mapping_, page, PROT_NONE) != 0) {
    munmap(mapping_, mapping_bytes_);
    throw EmuError(std::string("emulator: cannot protect a fiber stack's guard page: ") + std::strerror(errno));
  }
  usable_ = static_cast<char*>(mapping_) + page;
}

FiberStack::~FiberStack() {
  if (mapping_ != nullptr) munmap(mapping_, mapping_bytes_);
}

}  // namespace lossbench::emu
