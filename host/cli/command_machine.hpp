#pragma once
// `lossbench machine`: what this machine is, for a report to say where its
// numbers come from: the CPU, host memory and its memcpy bandwidth; the GPU
// (name, SMs, L2, memory, clocks, driver and runtime versions) and its
// device-to-device copy bandwidth when there is one. `lossbench report` runs
// it as its first section.
#include <CLI/CLI.hpp>

#include <ostream>
#include <string>

namespace lossbench::cli {

struct MachineCommandOptions {
  std::string json_path;  // empty: print only
};

CLI::App* add_machine_command(CLI::App& app, MachineCommandOptions& options);
/// Returns false when a GPU is usable but describing or measuring it failed
/// (what was found is still printed and written).
bool run_machine_command(const MachineCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace lossbench::cli
