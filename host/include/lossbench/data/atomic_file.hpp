#pragma once
// Writing an output file so that it is replaced whole or not at all.
//
// The bytes go to a temporary file beside the destination (same directory, so
// that the rename stays on one file system), named .<name>.tmp.<pid>.<counter>
// and created exclusively. finish() flushes it to the disk (fsync) and closes
// it, checking each step, for write errors such as a full disk may only show
// there; commit() renames it over the destination, which POSIX makes atomic.
// Until commit() the old file, if any, is untouched. If anything fails, or
// the AtomicFile is destroyed without commit(), the temporary file is
// removed: a full disk, a size limit or a later error in the same command
// leaves the old file or none, never a truncated one.
//
// finish() and commit() are separate so that a command writing several files
// can finish them all before renaming any (see `lossbench loss`).
//
// A destination that is a symbolic link is resolved, so that the file it
// points to is replaced, as opening it for writing would. One that exists but
// is neither a regular file nor a directory (/dev/null, a FIFO) cannot be
// replaced by renaming and is written directly. A directory is refused.
// The directory itself is not fsync'ed: the rename is atomic for other
// processes, not proven durable across a power cut.
#include <filesystem>
#include <span>
#include <string_view>

namespace lossbench {

class AtomicFile {
 public:
  /// Creates the temporary file beside `destination`. Throws InputError naming
  /// `destination` and the system's reason (ENOENT, ENOTDIR, EACCES, ...) when
  /// it cannot, or when `destination` is a directory.
  explicit AtomicFile(const std::filesystem::path& destination);
  /// Removes the temporary file unless commit() has renamed it.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Appends bytes. Throws InputError (path and reason) on a write error; the
  /// AtomicFile can then only be destroyed.
  void write(std::span<const unsigned char> bytes);
  void write(std::string_view text);
  /// Flushes the data to the disk and closes the file; throws InputError on failure.
  void finish();
  /// finish() if not done yet, then renames the temporary file over the
  /// destination; throws InputError on failure (the destination is then unchanged).
  void commit();

  /// The path the caller asked for, as error messages name it.
  const std::filesystem::path& destination() const { return destination_; }
  /// Where the bytes are written until commit(); the destination itself when written directly.
  const std::filesystem::path& temporary_path() const { return temporary_; }

 private:
  [[noreturn]] void fail(std::string_view what, int error_number);
  void close_and_remove() noexcept;

  std::filesystem::path destination_;  // as given, for messages
  std::filesystem::path target_;       // what is replaced: the destination, symbolic links resolved
  std::filesystem::path temporary_;
  int fd_ = -1;
  bool direct_ = false;    // a device or FIFO, written in place
  bool finished_ = false;
  bool failed_ = false;
  bool committed_ = false;
};

/// Writes `bytes` to `destination` through an AtomicFile and commits it.
void write_file_atomically(const std::filesystem::path& destination, std::span<const unsigned char> bytes);
void write_file_atomically(const std::filesystem::path& destination, std::string_view text);

}  // namespace lossbench
