#pragma once
// A write that fails as on a full disk, for tests: while a FileSizeLimit is
// alive, no file this process writes can grow past `bytes` (RLIMIT_FSIZE),
// and a write past it fails with EFBIG ("File too large") instead of raising
// SIGXFSZ. Unlike a read-only directory it works as root, and unlike a small
// file system it needs no mount. Process-wide: use it in single-threaded
// code, around the one call that should fail.
#include <sys/resource.h>

#include <csignal>

namespace lossbench::test_support {

class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    have_saved_ = ::getrlimit(RLIMIT_FSIZE, &saved_) == 0;
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit lower = saved_;
    lower.rlim_cur = bytes;
    active_ = have_saved_ && ::setrlimit(RLIMIT_FSIZE, &lower) == 0;
  }
  ~FileSizeLimit() {
    if (have_saved_) ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

  /// False when the limit could not be set (a hard limit below `bytes`).
  bool active() const { return active_; }

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = SIG_DFL;
  bool have_saved_ = false;
  bool active_ = false;
};

}  // namespace lossbench::test_support
