#include "progress_display.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

namespace lossbench::cli {

ProgressDisplay::ProgressDisplay(std::ostream& stream, bool redraw_in_place, int epochs)
    : stream_(stream), redraw_in_place_(redraw_in_place), epochs_(epochs) {}

void ProgressDisplay::update(const BatchProgress& p) {
  const auto now = std::chrono::steady_clock::now();
  const bool last_batch = p.batch == p.batches;
  const auto interval = redraw_in_place_ ? std::chrono::steady_clock::duration(kRedrawInterval)
                                         : std::chrono::steady_clock::duration(kLogInterval);
  if (now - last_ < interval && !(redraw_in_place_ && last_batch)) return;
  last_ = now;
  const double fraction = static_cast<double>(p.batch) / static_cast<double>(p.batches);
  char numbers[128];
  std::snprintf(numbers, sizeof numbers, "epoch %d/%d  %zu/%zu batches  loss %.4f", p.epoch, epochs_, p.batch,
                p.batches, p.loss);
  if (!redraw_in_place_) {
    stream_ << "lossbench: " << numbers << '\n' << std::flush;
    return;
  }
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  stream_ << '\r' << '[' << std::string(static_cast<std::size_t>(filled), '#')
          << std::string(static_cast<std::size_t>(kWidth - filled), '.') << "] " << numbers << "\033[K" << std::flush;
  bar_drawn_ = true;
}

void ProgressDisplay::end_epoch() {
  if (bar_drawn_) stream_ << "\r\033[K" << std::flush;  // back to the line's start, erase to its end
  bar_drawn_ = false;
}

bool stream_is_terminal(const std::ostream& stream) {
  return &stream == &std::cerr && ::isatty(STDERR_FILENO) == 1;
}

}  // namespace lossbench::cli
