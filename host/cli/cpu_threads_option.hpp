#pragma once
// `--threads N`, the option of every command that computes: how many threads
// the cpu backend uses (lossbench/core/cpu_threads.hpp). One variable serves
// all the commands, since one of them runs per process.
#include <CLI/CLI.hpp>
#include <optional>

namespace lossbench::cli {

/// Registers --threads on `command`, bound to `threads`.
void add_cpu_threads_option(CLI::App& command, std::optional<int>& threads);

/// Sets the cpu backend's threads to `threads`, or back to the default
/// (LOSSBENCH_CPU_THREADS, else the hardware threads) when it is empty: a
/// second run() in the same process starts from the default again. Throws
/// InputError for N outside [1, kMaxCpuThreads], or without N for a bad
/// LOSSBENCH_CPU_THREADS, whichever backend the command runs on.
void apply_cpu_threads_option(const std::optional<int>& threads);

}  // namespace lossbench::cli
