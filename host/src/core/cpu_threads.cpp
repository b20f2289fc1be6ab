#include "lossbench/core/cpu_threads.hpp"

#include <atomic>
#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>

#include "lossbench/core/error.hpp"

namespace lossbench {
namespace {

constexpr int kMaxThreads = kMaxCpuThreads;
std::atomic<int> chosen_threads{0};  // 0: not set

int default_threads() {
  if (const char* text = std::getenv("LOSSBENCH_CPU_THREADS"); text != nullptr && *text != '\0') {
    const std::string_view view(text);
    int n = 0;
    const auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), n);
    if (error != std::errc() || end != view.data() + view.size() || n < 1 || n > kMaxThreads) {
      throw InputError("LOSSBENCH_CPU_THREADS='" + std::string(view) + "': expected an integer in [1, " +
                       std::to_string(kMaxThreads) + "]");
    }
    return n;
  }
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware == 0 ? 1 : static_cast<int>(hardware < kMaxThreads ? hardware : kMaxThreads);
}

}  // namespace

int cpu_threads() {
  const int chosen = chosen_threads.load(std::memory_order_relaxed);
  return chosen > 0 ? chosen : default_threads();
}

void set_cpu_threads(int n) {
  if (n < 0 || n > kMaxThreads) {
    throw InputError("cpu threads " + std::to_string(n) + ": expected 1.." + std::to_string(kMaxThreads) +
                     " (or 0 for the default)");
  }
  chosen_threads.store(n, std::memory_order_relaxed);
}

}  // namespace lossbench
