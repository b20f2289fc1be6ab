#include "cpu_threads_option.hpp"

#include <string>

#include "lossbench/core/cpu_threads.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench::cli {

void add_cpu_threads_option(CLI::App& command, std::optional<int>& threads) {
  command.add_option("--threads", threads,
                     "Threads of the cpu backend (default: LOSSBENCH_CPU_THREADS, else the hardware threads). Only "
                     "the time depends on it: work is cut into fixed tiles whose sums are added in tile order, so "
                     "the results have the same bits for every N. Other backends ignore it");
}

void apply_cpu_threads_option(const std::optional<int>& threads) {
  // 0 is the library's "default"; asked for explicitly, it is a mistake.
  if (threads && (*threads < 1 || *threads > kMaxCpuThreads)) {
    throw InputError("--threads must be in [1, " + std::to_string(kMaxCpuThreads) + "], got " +
                     std::to_string(*threads));
  }
  set_cpu_threads(threads.value_or(0));
  // Reads LOSSBENCH_CPU_THREADS when there is no --threads: a bad value stops
  // the command before it prints anything, not at its first call that has
  // more than one tile to share out.
  cpu_threads();
}

}  // namespace lossbench::cli
