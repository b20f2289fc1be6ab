#include "command_machine.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cpu_description.hpp"
#include "lossbench/core/backend.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/core/gpu_device.hpp"
#include "lossbench/data/atomic_file.hpp"
#include "measure/cpu_bandwidth.hpp"
#include "measure/gpu_measure.hpp"

namespace lossbench::cli {

CLI::App* add_machine_command(CLI::App& app, MachineCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "machine",
      "Describe this machine: CPU, host memory and its memcpy bandwidth; the GPU (name, SMs, L2, memory, clocks, "
      "driver and runtime versions) and its device-to-device copy bandwidth, when there is one. Exits 1 when a GPU "
      "is usable but cannot be described or measured.");
  cmd->add_option("--json", options.json_path, "Also write the description as JSON to this file");
  return cmd;
}

namespace {

double gigabytes(double bytes) { return bytes / 1e9; }

nlohmann::json describe_gpu(std::string& error) {
  const BackendAvailability cuda = backend_availability(Backend::cuda);
  nlohmann::json gpu{{"available", cuda.available}, {"reason", cuda.reason}};
  if (!cuda.available) return gpu;
  try {
    const GpuDeviceDescription d = describe_gpu_device();
    gpu["name"] = d.name;
    gpu["compute_capability"] = std::to_string(d.compute_capability_major) + "." +
                                std::to_string(d.compute_capability_minor);
    gpu["sm_count"] = d.sm_count;
    gpu["l2_bytes"] = d.l2_bytes;
    gpu["memory_bytes"] = d.memory_bytes;
    gpu["memory_bus_width_bits"] = d.memory_bus_width_bits;
    gpu["sm_clock_mhz"] = d.sm_clock_khz / 1000.0;
    gpu["memory_clock_mhz"] = d.memory_clock_khz / 1000.0;
    gpu["nominal_memory_bandwidth_GB_per_s"] = gigabytes(d.nominal_memory_bandwidth_bytes_per_second());
    gpu["shared_memory_per_block_optin_bytes"] = d.shared_memory_per_block_optin_bytes;
    gpu["driver_version"] = std::to_string(d.driver_version / 1000) + "." + std::to_string(d.driver_version % 1000 / 10);
    gpu["runtime_version"] =
        std::to_string(d.runtime_version / 1000) + "." + std::to_string(d.runtime_version % 1000 / 10);
    gpu["device_copy_bandwidth_GB_per_s"] = gigabytes(measure::gpu_copy_bandwidth());
  } catch (const BackendError& e) {
    error = e.what();
    gpu["error"] = error;
  }
  return gpu;
}

void print(const nlohmann::json& machine, std::ostream& out) {
  const nlohmann::json& cpu = machine["cpu"];
  char line[256];
  std::snprintf(line, sizeof line, "cpu: %s, %d logical cores, %.1f GiB of memory\n",
                cpu["model"].get<std::string>().c_str(), cpu["logical_cores"].get<int>(),
                cpu["memory_bytes"].get<double>() / (1 << 30));
  out << line;
  std::snprintf(line, sizeof line, "host memcpy bandwidth (read + write): %.1f GB/s\n",
                machine["host_copy_bandwidth_GB_per_s"].get<double>());
  out << line;
  const nlohmann::json& gpu = machine["gpu"];
  if (!gpu["available"].get<bool>()) {
    out << "gpu: none: " << gpu["reason"].get<std::string>() << "\n";
    return;
  }
  if (gpu.contains("name")) {
    std::snprintf(line, sizeof line, "gpu: %s (compute capability %s), %d SMs, L2 %.1f MiB, memory %.1f GiB\n",
                  gpu["name"].get<std::string>().c_str(), gpu["compute_capability"].get<std::string>().c_str(),
                  gpu["sm_count"].get<int>(), gpu["l2_bytes"].get<double>() / (1 << 20),
                  gpu["memory_bytes"].get<double>() / (1 << 30));
    out << line;
    std::snprintf(line, sizeof line, "gpu clocks: SM %.0f MHz, memory %.0f MHz x %d bits (%.0f GB/s nominal)\n",
                  gpu["sm_clock_mhz"].get<double>(), gpu["memory_clock_mhz"].get<double>(),
                  gpu["memory_bus_width_bits"].get<int>(), gpu["nominal_memory_bandwidth_GB_per_s"].get<double>());
    out << line;
    out << "cuda: driver " << gpu["driver_version"].get<std::string>() << ", runtime "
        << gpu["runtime_version"].get<std::string>() << "\n";
  }
  if (gpu.contains("device_copy_bandwidth_GB_per_s")) {
    std::snprintf(line, sizeof line, "device-to-device copy bandwidth (read + write): %.1f GB/s\n",
                  gpu["device_copy_bandwidth_GB_per_s"].get<double>());
    out << line;
  }
  if (gpu.contains("error")) out << "gpu error: " << gpu["error"].get<std::string>() << "\n";
}

}  // namespace

bool run_machine_command(const MachineCommandOptions& options, std::ostream& out, std::ostream& err) {
  const report::CpuDescription cpu = report::describe_cpu();
  nlohmann::json machine;
  machine["cpu"] = {{"model", cpu.model}, {"logical_cores", cpu.logical_cores}, {"memory_bytes", cpu.memory_bytes}};
  machine["host_copy_bandwidth_GB_per_s"] = gigabytes(measure::measure_cpu_copy_bandwidth());
  std::string gpu_error;
  machine["gpu"] = describe_gpu(gpu_error);
  print(machine, out);
  if (!options.json_path.empty()) write_file_atomically(options.json_path, machine.dump(2) + "\n");
  if (!gpu_error.empty()) err << "lossbench: backend error: " << gpu_error << "\n";
  return gpu_error.empty();
}

}  // namespace lossbench::cli
