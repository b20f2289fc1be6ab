#include "lossbench/data/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>
#include <system_error>

#include "lossbench/core/error.hpp"

namespace lossbench {
namespace fs = std::filesystem;
namespace {

std::string reason(int error_number) { return std::generic_category().message(error_number); }

// The temporary file's name: hidden, beside the destination, unique to this
// process and call. The name is cut so that the whole stays within NAME_MAX.
fs::path temporary_name(const fs::path& target, unsigned long counter) {
  static const int pid = static_cast<int>(::getpid());
  std::string name = target.filename().string();
  if (name.size() > 200) name.resize(200);
  return target.parent_path() / ("." + name + ".tmp." + std::to_string(pid) + "." + std::to_string(counter));
}

}  // namespace

AtomicFile::AtomicFile(const fs::path& destination) : destination_(destination), target_(destination) {
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(destination, ec))) {
    target_ = fs::weakly_canonical(destination, ec);
    if (ec) throw InputError(destination_.string() + ": cannot resolve the symbolic link: " + ec.message());
  }
  const fs::file_status status = fs::status(target_, ec);
  if (fs::is_directory(status)) throw InputError(destination_.string() + ": cannot write the file: it is a directory");

  if (fs::exists(status) && !fs::is_regular_file(status)) {
    // A device or a FIFO: there is nothing to rename over, and no partial file to fear.
    direct_ = true;
    temporary_ = target_;
    fd_ = ::open(target_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd_ < 0) fail("cannot open the file for writing", errno);
    return;
  }

  static std::atomic<unsigned long> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    temporary_ = temporary_name(target_, counter++);
    // O_EXCL: never write into a file that something else created. Mode 0666
    // less the umask, as for any file the user creates.
    fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ >= 0 || errno != EEXIST) break;
  }
  if (fd_ < 0) {
    const int error_number = errno;
    throw InputError(destination_.string() + ": cannot open the file for writing (creating the temporary file " +
                     temporary_.string() + "): " + reason(error_number));
  }
}

AtomicFile::~AtomicFile() { close_and_remove(); }

void AtomicFile::close_and_remove() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!committed_ && !direct_ && !temporary_.empty()) {
    ::unlink(temporary_.c_str());
    temporary_.clear();
  }
}

void AtomicFile::fail(std::string_view what, int error_number) {
  failed_ = true;
  close_and_remove();
  std::string message = destination_.string() + ": " + std::string(what) + ": " + reason(error_number);
  if (!direct_) message += " (the file is left as it was)";
  throw InputError(message);
}

void AtomicFile::write(std::span<const unsigned char> bytes) {
  if (failed_ || finished_) throw InputError(destination_.string() + ": write after the file was finished or failed");
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("write error", errno);
    }
    bytes = bytes.subspan(static_cast<std::size_t>(written));
  }
}

void AtomicFile::write(std::string_view text) {
  write(std::span(reinterpret_cast<const unsigned char*>(text.data()), text.size()));
}

void AtomicFile::finish() {
  if (failed_) throw InputError(destination_.string() + ": finish after a failed write");
  if (finished_) return;
  // fsync reports write-back errors (a full disk on file systems that
  // allocate late, EIO) that write() did not; devices and FIFOs cannot sync.
  if (!direct_ && ::fsync(fd_) != 0) fail("cannot flush the file to the disk", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("error closing the file", errno);
  finished_ = true;
}

void AtomicFile::commit() {
  finish();
  if (committed_) return;
  if (!direct_ && ::rename(temporary_.c_str(), target_.c_str()) != 0) {
    fail("cannot rename the temporary file " + temporary_.string() + " into place", errno);
  }
  committed_ = true;
}

void write_file_atomically(const fs::path& destination, std::span<const unsigned char> bytes) {
  AtomicFile file(destination);
  file.write(bytes);
  file.commit();
}

void write_file_atomically(const fs::path& destination, std::string_view text) {
  AtomicFile file(destination);
  file.write(text);
  file.commit();
}

}  // namespace lossbench
