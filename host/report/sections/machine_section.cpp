// The machine: `lossbench machine --json FILE` in a child (the first CUDA
// call of the report happens there, so a broken driver cannot hang the
// report itself). Its answer also decides whether the report has a GPU.
#include "json_file.hpp"
#include "markdown_table.hpp"
#include "sections/sections.hpp"

namespace lossbench::report {
namespace {

std::string text_of(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_float()) return format_number(j.get<double>(), 4);
  return j.dump();
}

void run(SectionContext& ctx) {
  const auto file = ctx.data_file("machine.json");
  const ProcessOutcome outcome = ctx.run("machine", {ctx.layout.lossbench.string(), "machine", "--json", file.string()});
  if (!outcome.succeeded()) ctx.record_failure("lossbench machine", outcome);
  std::string error;
  const std::optional<nlohmann::json> machine = read_json_file(file, error);
  if (!machine) {
    if (ctx.record.status == SectionStatus::pending) {
      ctx.record.status = SectionStatus::failed;
      ctx.record.reason = error;
    }
    return;
  }
  ctx.record.data = *machine;
  std::vector<std::vector<std::string>> rows;
  const nlohmann::json& cpu = machine->value("cpu", nlohmann::json::object());
  for (const auto& [key, value] : cpu.items()) rows.push_back({"cpu " + key, text_of(value)});
  if (machine->contains("host_copy_bandwidth_GB_per_s")) {
    const double host = (*machine)["host_copy_bandwidth_GB_per_s"].get<double>();
    ctx.record.measurements["host_copy_bandwidth_GB_per_s"] = host;
    rows.push_back({"host memcpy bandwidth (read + write), GB/s", format_number(host, 4)});
  }
  const nlohmann::json& gpu = machine->value("gpu", nlohmann::json::object());
  for (const auto& [key, value] : gpu.items()) {
    if (key == "reason" && value == "") continue;
    rows.push_back({"gpu " + key, text_of(value)});
  }
  if (gpu.contains("device_copy_bandwidth_GB_per_s")) {
    ctx.record.measurements["device_copy_bandwidth_GB_per_s"] = gpu["device_copy_bandwidth_GB_per_s"].get<double>();
  }
  ctx.record.markdown = markdown_table({"what", "value"}, rows);
}

}  // namespace

SectionDefinition machine_section() {
  return {"machine", "Machine", 60, 30, 10, false, nullptr, run};
}

}  // namespace lossbench::report
