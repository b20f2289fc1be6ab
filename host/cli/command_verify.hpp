#pragma once
// `lossbench verify`: the fused kernels against the CPU reference, over the
// standard sweeps: the fused loss (losses, dtypes, reductions, options, sizes
// and offsets), then the training step (losses, batch shapes, alignment of X).
#include <CLI/CLI.hpp>

#include <cstdint>
#include <ostream>
#include <string>

namespace lossbench::cli {

struct VerifyCommandOptions {
  std::string backend;  // empty: cuda when a GPU is usable, else emu
  bool quick = false;
  std::string filter;   // only cases whose name contains this
  std::uint64_t seed = 20261124;
};

CLI::App* add_verify_command(CLI::App& app, VerifyCommandOptions& options);

/// Prints a table per sweep to `out`, with the first few mismatches of each
/// failing case, and returns true when every case passed.
bool run_verify_command(const VerifyCommandOptions& options, std::ostream& out, std::ostream& progress);

}  // namespace lossbench::cli
