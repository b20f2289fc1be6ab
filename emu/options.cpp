#include "emu/options.hpp"

#include <cstdlib>
#include <mutex>
#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench::emu {

std::string Schedule::to_string() const {
  switch (kind) {
    case Kind::forward: return "forward";
    case Kind::reverse: return "reverse";
    case Kind::random: return "random:" + std::to_string(seed);
  }
  return "unknown";
}

Schedule Schedule::parse(std::string_view text) {
  if (text == "forward") return {Kind::forward, 0};
  if (text == "reverse") return {Kind::reverse, 0};
  constexpr std::string_view prefix = "random:";
  if (text.substr(0, prefix.size()) == prefix && text.size() > prefix.size()) {
    const std::string digits(text.substr(prefix.size()));
    char* end = nullptr;
    const unsigned long long seed = std::strtoull(digits.c_str(), &end, 10);
    if (end != nullptr && *end == '\0' && digits.find_first_not_of("0123456789") == std::string::npos) {
      return {Kind::random, seed};
    }
  }
  throw InputError("emulator schedule '" + std::string(text) +
                              "' is not forward, reverse or random:SEED (SEED a decimal integer)");
}

namespace {

std::mutex options_mutex;

Options options_from_environment() {
  Options options;
  if (const char* schedule = std::getenv("LOSSBENCH_EMU_SCHEDULE"); schedule != nullptr && *schedule != '\0') {
    options.schedule = Schedule::parse(schedule);
  }
  if (const char* workers = std::getenv("LOSSBENCH_EMU_WORKERS"); workers != nullptr && *workers != '\0') {
    char* end = nullptr;
    const unsigned long value = std::strtoul(workers, &end, 10);
    if (end == nullptr || *end != '\0' || value == 0 || value > 256) {
      throw InputError(std::string("LOSSBENCH_EMU_WORKERS='") + workers + "' is not an integer in [1, 256]");
    }
    options.workers = static_cast<unsigned>(value);
  }
  return options;
}

Options& options() {
  static Options instance = options_from_environment();
  return instance;
}

}  // namespace

Options current_options() {
  std::lock_guard lock(options_mutex);
  return options();
}

void set_schedule(Schedule schedule) {
  std::lock_guard lock(options_mutex);
  options().schedule = schedule;
}

void set_workers(unsigned workers) {
  if (workers == 0 || workers > 256) throw InputError("emulator workers must be in [1, 256]");
  std::lock_guard lock(options_mutex);
  options().workers = workers;
}

}  // namespace lossbench::emu
