#pragma once
// Progress of a long training run on stderr, without flooding logs: on a
// terminal, one line redrawn in place (\r) a few times a second; anywhere
// else (a CI log, a file), a plain line at most every kLogInterval.
#include <chrono>
#include <ostream>

#include "lossbench/train/trainer.hpp"

namespace lossbench::cli {

class ProgressDisplay {
 public:
  /// `redraw_in_place`: whether `stream` is a terminal (see stream_is_terminal).
  ProgressDisplay(std::ostream& stream, bool redraw_in_place, int epochs);

  void update(const BatchProgress& progress);
  /// Clears the bar, so that the epoch's line on stdout starts on a clean line.
  void end_epoch();

  static constexpr std::chrono::milliseconds kRedrawInterval{100};
  static constexpr std::chrono::seconds kLogInterval{10};

 private:
  std::ostream& stream_;
  bool redraw_in_place_;
  int epochs_;
  bool bar_drawn_ = false;
  std::chrono::steady_clock::time_point last_{std::chrono::steady_clock::now()};
};

/// Whether `stream` is the process's std::cerr and that is a terminal. Other
/// streams (tests pass string streams) are never terminals.
bool stream_is_terminal(const std::ostream& stream);

}  // namespace lossbench::cli
