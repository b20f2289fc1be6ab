// AtomicFile: an output file is replaced whole or not at all. Failures are
// injected with a file-size limit (EFBIG, as a full disk gives ENOSPC), a
// parent that is a regular file (ENOTDIR) and /dev/full; each test checks
// that the old file is intact and that no temporary file is left behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "file_size_limit.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/data/atomic_file.hpp"
#include "common/test_directory.hpp"
#include "lossbench/data/npy.hpp"

namespace lossbench {
namespace {

namespace fs = std::filesystem;

class HostAtomicFile : public ::testing::Test {
 protected:

  fs::path path(const std::string& name) const { return dir_ / name; }

  void put(const fs::path& file, const std::string& text) const { dir_.put(file, text); }
  std::string contents(const fs::path& file) const { return dir_.contents(file); }
  std::vector<std::string> listing() const { return dir_.listing(); }

  testing::TestDirectory dir_;
};

// Expects `f` to throw an InputError whose message contains every needle.
template <class F>
void expect_input_error(F&& f, const std::vector<std::string>& needles) {
  try {
    f();
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& e) {
    for (const std::string& needle : needles) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what() << "\nexpected: " << needle;
    }
  }
}

TEST_F(HostAtomicFile, CommitReplacesTheOldFileAndLeavesNoTemporary) {
  put(path("out.csv"), "old contents that are longer than the new\n");
  write_file_atomically(path("out.csv"), std::string_view("new\n"));
  EXPECT_EQ(contents(path("out.csv")), "new\n");
  EXPECT_EQ(listing(), std::vector<std::string>{"out.csv"});
  write_file_atomically(path("fresh.csv"), std::string_view("made\n"));
  EXPECT_EQ(contents(path("fresh.csv")), "made\n");
}

TEST_F(HostAtomicFile, TheTemporaryFileIsHiddenBesideTheDestinationAndUnique) {
  put(path("g.npy"), "old");
  AtomicFile a(path("g.npy"));
  AtomicFile b(path("g.npy"));
  EXPECT_EQ(a.temporary_path().parent_path(), dir_);
  EXPECT_EQ(a.temporary_path().filename().string().rfind(".g.npy.tmp.", 0), 0u) << a.temporary_path();
  EXPECT_NE(a.temporary_path(), b.temporary_path());
  a.write(std::string_view("partial"));
  // Until commit() the destination holds the old bytes.
  EXPECT_EQ(contents(path("g.npy")), "old");
  a.commit();
  EXPECT_EQ(contents(path("g.npy")), "partial");
  EXPECT_TRUE(fs::exists(b.temporary_path()));
}

TEST_F(HostAtomicFile, DestroyedWithoutCommitLeavesTheOldFile) {
  put(path("g.npy"), "old");
  {
    AtomicFile file(path("g.npy"));
    file.write(std::string_view("complete but never committed"));
    file.finish();
  }
  EXPECT_EQ(contents(path("g.npy")), "old");
  EXPECT_EQ(listing(), std::vector<std::string>{"g.npy"});
}

TEST_F(HostAtomicFile, AFailedWriteLeavesTheOldFileIntactAndNoTemporary) {
  const std::string old(3000, 'o');
  put(path("g.npy"), old);
  const std::vector<unsigned char> big(8192, 0x5a);
  {
    test_support::FileSizeLimit limit(1024);
    ASSERT_TRUE(limit.active());
    expect_input_error([&] { write_file_atomically(path("g.npy"), big); },
                       {path("g.npy").string(), "write error", "File too large", "left as it was"});
  }
  EXPECT_EQ(contents(path("g.npy")), old);
  EXPECT_EQ(listing(), std::vector<std::string>{"g.npy"});
}

TEST_F(HostAtomicFile, NpyWriteGoesThroughIt) {
  npy::Array a = npy::from_dtype(std::vector<unsigned char>(4 * 1000), DType::f32, {1000});
  put(path("z.npy"), "old");
  {
    test_support::FileSizeLimit limit(512);
    ASSERT_TRUE(limit.active());
    expect_input_error([&] { npy::write(path("z.npy"), a); }, {"z.npy", "File too large"});
  }
  EXPECT_EQ(contents(path("z.npy")), "old");
  EXPECT_EQ(listing(), std::vector<std::string>{"z.npy"});
  npy::write(path("z.npy"), a);
  EXPECT_EQ(npy::read(path("z.npy")).size(), 1000);
}

TEST_F(HostAtomicFile, AnUnwritableDirectoryOrADirectoryDestinationIsRefusedByName) {
  put(path("file"), "a regular file");
  expect_input_error([&] { AtomicFile file(path("file") / "g.npy"); },
                     {(path("file") / "g.npy").string(), "cannot open the file for writing", "Not a directory"});
  expect_input_error([&] { AtomicFile file(path("no") / "such" / "g.npy"); }, {"No such file or directory"});
  fs::create_directory(path("sub"));
  expect_input_error([&] { AtomicFile file(path("sub")); }, {path("sub").string(), "it is a directory"});
  EXPECT_EQ(listing(), (std::vector<std::string>{"file", "sub"}));
}

TEST_F(HostAtomicFile, ASymbolicLinkIsFollowedAndKept) {
  put(path("target.csv"), "old");
  fs::create_symlink(path("target.csv"), path("link.csv"));
  write_file_atomically(path("link.csv"), std::string_view("new"));
  EXPECT_TRUE(fs::is_symlink(path("link.csv")));
  EXPECT_EQ(contents(path("target.csv")), "new");
  EXPECT_EQ(listing(), (std::vector<std::string>{"link.csv", "target.csv"}));
}

TEST_F(HostAtomicFile, DevicesAreWrittenInPlace) {
  if (!fs::is_character_file("/dev/null") || !fs::is_character_file("/dev/full")) {
    GTEST_SKIP() << "no /dev/null or /dev/full here";
  }
  write_file_atomically("/dev/null", std::string_view("discarded"));
  EXPECT_TRUE(fs::is_character_file("/dev/null"));  // not replaced by a regular file
  // /dev/full fails every write with ENOSPC, as a full disk does.
  expect_input_error([] { write_file_atomically("/dev/full", std::string_view("x")); },
                     {"/dev/full", "write error", "No space left on device"});
  EXPECT_TRUE(fs::is_character_file("/dev/full"));
}

}  // namespace
}  // namespace lossbench
