#include "stop_signals.hpp"

#include <csignal>

namespace lossbench::report {
namespace {

volatile std::sig_atomic_t stop_flag = 0;
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction previous[3];

extern "C" void request_stop(int) { stop_flag = 1; }

}  // namespace

ScopedStopSignals::ScopedStopSignals() {
  stop_flag = 0;
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &action, &previous[i]);
}

ScopedStopSignals::~ScopedStopSignals() {
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &previous[i], nullptr);
}

bool ScopedStopSignals::stop_requested() { return stop_flag != 0; }

}  // namespace lossbench::report
