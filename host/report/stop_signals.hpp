#pragma once
// SIGINT, SIGTERM and SIGHUP while a report runs: instead of killing the
// report (and leaving its current command running in its own process
// group), they ask it to stop: the running command is killed, the remaining
// sections are recorded as skipped, and the report is written.
namespace lossbench::report {

class ScopedStopSignals {
 public:
  ScopedStopSignals();   // installs the handlers
  ~ScopedStopSignals();  // restores the previous ones
  ScopedStopSignals(const ScopedStopSignals&) = delete;
  ScopedStopSignals& operator=(const ScopedStopSignals&) = delete;

  /// Whether one of the signals has arrived since construction.
  static bool stop_requested();
};

}  // namespace lossbench::report
