#pragma once
// `lossbench bench`: a short, human-sized benchmark: the fused kernel and the
// unfused baseline on the GPU, the cpu backend and the CPU reference at a few
// sizes, median of repeats, in one table (or JSON).
#include <CLI/CLI.hpp>

#include <cstdint>
#include <ostream>
#include <vector>

namespace lossbench::cli {

struct BenchCommandOptions {
  std::vector<std::int64_t> sizes;  // empty: 2^20, 2^24, 2^26 on a GPU; 2^16, 2^20, 2^24 without
  int repeats = 5;
  bool json = false;
  bool profile = false;
};

CLI::App* add_bench_command(CLI::App& app, BenchCommandOptions& options);
void run_bench_command(const BenchCommandOptions& options, std::ostream& out, std::ostream& progress);

}  // namespace lossbench::cli
