// The training progress display: on a terminal a bar redrawn in place and
// erased at the end of an epoch; elsewhere silence for short runs, so that
// CI logs never fill with progress.
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "progress_display.hpp"

namespace lossbench::cli {
namespace {

TEST(CliProgressDisplay, TerminalBarIsRedrawnInPlaceAndErasedAtTheEpochsEnd) {
  std::ostringstream stream;
  ProgressDisplay display(stream, /*redraw_in_place=*/true, 2);
  // Within the redraw interval only the last batch is certain to draw.
  for (std::size_t b = 1; b <= 4; ++b) display.update(BatchProgress{1, b, 4, 0.5});
  const std::string bar = stream.str();
  EXPECT_EQ(bar.find('\n'), std::string::npos) << "a redrawn bar never starts a new line: " << bar;
  EXPECT_NE(bar.find("\r[##############################] epoch 1/2  4/4 batches  loss 0.5000"), std::string::npos)
      << bar;
  display.end_epoch();
  EXPECT_EQ(stream.str().substr(bar.size()), "\r\033[K") << "the bar is erased so that the epoch's line starts clean";
  display.end_epoch();
  EXPECT_EQ(stream.str().size(), bar.size() + 4) << "nothing to erase a second time";
}

TEST(CliProgressDisplay, ElsewhereAShortRunPrintsNothing) {
  std::ostringstream stream;
  ProgressDisplay display(stream, /*redraw_in_place=*/false, 1);
  for (std::size_t b = 1; b <= 1000; ++b) display.update(BatchProgress{1, b, 1000, 0.5});
  display.end_epoch();
  EXPECT_EQ(stream.str(), "") << "at most one line per " << ProgressDisplay::kLogInterval.count() << " s";
}

TEST(CliProgressDisplay, OnlyTheProcesssStderrCanBeATerminal) {
  std::ostringstream stream;
  EXPECT_FALSE(stream_is_terminal(stream));
  EXPECT_FALSE(stream_is_terminal(std::cout));
}

}  // namespace
}  // namespace lossbench::cli
