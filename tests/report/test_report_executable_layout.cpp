// Finding lossbench's programs from the running binary: an install (also
// after the folder is moved), a build tree, and neither.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/test_directory.hpp"
#include "executable_layout.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench::report {
namespace {

namespace fs = std::filesystem;

// A file at a relative path, its directories created.
void put_file(const testing::TestDirectory& dir, const fs::path& file, const std::string& text) {
  fs::create_directories(dir.path() / file.parent_path());
  dir.put(file, text);
}

void make_executable(const testing::TestDirectory& dir, const fs::path& file) {
  put_file(dir, file, "#!/bin/sh\n");
  fs::permissions(dir.path() / file, fs::perms::owner_all);
}

void make_install(const testing::TestDirectory& dir, const std::string& prefix) {
  for (const char* exe : {"bin/lossbench", "bin/lossbench_bench", "libexec/lossbench/test_gpu_train_step",
                          "libexec/lossbench/test_gpu_fused_loss"}) {
    make_executable(dir, prefix + "/" + exe);
  }
  put_file(dir, prefix + "/share/lossbench/predictions.json", "{}");
  put_file(dir, prefix + "/share/lossbench/plot.py", "");
  put_file(dir, prefix + "/libexec/lossbench/test_gpu_not_executable", "");
}

TEST(ExecutableLayout, AnInstallIsFoundFromItsOwnBinaryEvenAfterAMove) {
  testing::TestDirectory dir;
  make_install(dir, "prefix");
  fs::rename(dir / "prefix", dir / "moved");
  const ExecutableLayout layout = locate_executables(dir / "moved/bin/lossbench", "/nonexistent-source");
  EXPECT_EQ(layout.kind, "installed");
  EXPECT_EQ(layout.lossbench, dir / "moved/bin/lossbench");
  EXPECT_EQ(layout.lossbench_bench, dir / "moved/bin/lossbench_bench");
  ASSERT_EQ(layout.gpu_tests.size(), 2u) << "executables only";
  EXPECT_EQ(layout.gpu_tests[0], dir / "moved/libexec/lossbench/test_gpu_fused_loss");
  EXPECT_EQ(layout.predictions, dir / "moved/share/lossbench/predictions.json");
  EXPECT_EQ(layout.plot_script, dir / "moved/share/lossbench/plot.py");
  EXPECT_TRUE(layout.compare_pytorch_script.empty()) << "not installed: absent, not guessed";
}

TEST(ExecutableLayout, ABuildTreeTakesItsTestsFromTheTreeAndItsScriptsFromTheSource) {
  testing::TestDirectory dir;
  make_executable(dir, "build/host/cli/lossbench");
  make_executable(dir, "build/bench/lossbench_bench");
  make_executable(dir, "build/tests/train/test_gpu_train_step");
  make_executable(dir, "build/tests/train/CMakeFiles/test_gpu_ignored");
  put_file(dir, "src/docs/predictions.json", "{}");
  put_file(dir, "src/bench/compare_pytorch.py", "");
  const ExecutableLayout layout = locate_executables(dir / "build/host/cli/lossbench", dir / "src");
  EXPECT_EQ(layout.kind, "build tree");
  EXPECT_EQ(layout.lossbench_bench, dir / "build/bench/lossbench_bench");
  EXPECT_EQ(layout.gpu_tests, std::vector<fs::path>{dir / "build/tests/train/test_gpu_train_step"});
  EXPECT_EQ(layout.predictions, dir / "src/docs/predictions.json");
  EXPECT_EQ(layout.compare_pytorch_script, dir / "src/bench/compare_pytorch.py");
  EXPECT_TRUE(layout.plot_script.empty());
}

TEST(ExecutableLayout, ABinaryInNeitherLayoutIsAnErrorSayingWhatWasExpected) {
  testing::TestDirectory dir;
  make_executable(dir, "somewhere/lossbench");
  try {
    locate_executables(dir / "somewhere/lossbench", dir / "src");
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("PREFIX/bin/lossbench"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lossbench::report
