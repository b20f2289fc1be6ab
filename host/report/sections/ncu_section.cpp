// Nsight Compute on a few kernels: one launch each of the fused loss kernel
// (f32 and bf16) and of the training step's kernel (at several output
// capacities), each profiled in its own ncu run over lossbench_bench with a
// narrow filter. Measurements per target: dram_throughput_pct,
// achieved_occupancy_pct, theoretical_occupancy_pct, registers_per_thread,
// dynamic_shared_memory_KiB and blocks_per_sm (the smallest of ncu's block
// limits).
#include <algorithm>
#include <limits>

#include "json_file.hpp"
#include "markdown_table.hpp"
#include "process_runner.hpp"
#include "sections/ncu_metrics.hpp"
#include "sections/sections.hpp"

namespace lossbench::report {
namespace {

struct NcuTarget {
  std::string name;
  std::string filter;
  std::string kernel;
  bool in_quick;
};

const std::vector<NcuTarget>& targets() {
  static const std::vector<NcuTarget> list{
      {"fused_loss_f32", "^fused/bce/f32/forward_grad/mean/batched/16777216/", "fused_loss_kernel", true},
      {"fused_loss_bf16", "^fused/bce/bf16/forward_grad/mean/batched/16777216/", "fused_loss_kernel", true},
      {"train_step_k1", "^train_step/fused/bce/d:784/k:1/batched/65536/", "fused_train_step_kernel", false},
      {"train_step_k10", "^train_step/fused/bce/d:784/k:10/batched/65536/", "fused_train_step_kernel", true},
      {"train_step_k16", "^train_step/fused/bce/d:784/k:16/batched/65536/", "fused_train_step_kernel", true},
  };
  return list;
}

// Bytes in KiB, whatever unit ncu printed (base units are asked for: bytes).
double to_kib(const NcuMetric& m) {
  if (m.unit.rfind("Kbyte", 0) == 0) return m.value * 1e3 / 1024;
  if (m.unit.rfind("Mbyte", 0) == 0) return m.value * 1e6 / 1024;
  return m.value / 1024;
}

void run(SectionContext& ctx) {
  const std::filesystem::path ncu = find_on_path("ncu");
  std::vector<std::vector<std::string>> rows;
  nlohmann::json data = nlohmann::json::object();
  std::vector<const NcuTarget*> chosen;
  for (const NcuTarget& t : targets()) {
    if (t.in_quick || !ctx.quick()) chosen.push_back(&t);
  }
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const NcuTarget& t = *chosen[i];
    const auto csv = ctx.data_file("ncu_" + t.name + ".csv");
    // An equal share of what is left, so that one slow profile cannot starve the others.
    const double share = ctx.seconds_left() / static_cast<double>(chosen.size() - i);
    const ProcessOutcome outcome =
        ctx.run("ncu/" + t.name,
                {ncu.string(), "--csv", "--page", "details", "--print-units", "base", "--section", "SpeedOfLight",
                 "--section", "Occupancy", "--section", "LaunchStats", "--kernel-name", "regex:" + t.kernel,
                 "--launch-skip", "3", "--launch-count", "1", "--log-file", csv.string(),
                 ctx.layout.lossbench_bench.string(), "--benchmark_filter=" + t.filter, "--benchmark_min_time=0.01"},
                {}, share);
    if (!outcome.succeeded()) ctx.record_failure("ncu " + t.name, outcome);
    const NcuKernelMetrics k = parse_ncu_details_csv(read_text_file(csv));
    if (k.kernel.empty()) {
      rows.push_back({t.name, "no profiled kernel", "", "", "", "", ""});
      if (outcome.succeeded()) {
        ctx.record.status = SectionStatus::failed;
        ctx.record.reason += (ctx.record.reason.empty() ? "" : "; ") + t.name + ": ncu profiled no kernel";
      }
      continue;
    }
    const auto metric = [&](const char* name) -> std::optional<NcuMetric> {
      const auto it = k.metrics.find(name);
      return it == k.metrics.end() ? std::nullopt : std::optional<NcuMetric>(it->second);
    };
    const auto put = [&](const std::string& key, std::optional<double> value) {
      if (value) ctx.record.measurements[t.name + "/" + key] = *value;
      return value ? format_number(*value, 4) : std::string("-");
    };
    const auto value = [&](const char* name) -> std::optional<double> {
      const auto m = metric(name);
      return m ? std::optional<double>(m->value) : std::nullopt;
    };
    std::optional<double> blocks;
    for (const char* limit : {"Block Limit Registers", "Block Limit Shared Mem", "Block Limit Warps", "Block Limit SM"}) {
      if (const auto v = value(limit)) blocks = std::min(blocks.value_or(std::numeric_limits<double>::max()), *v);
    }
    const auto shared = metric("Dynamic Shared Memory Per Block");
    rows.push_back({t.name, put("dram_throughput_pct", value("DRAM Throughput")),
                    put("achieved_occupancy_pct", value("Achieved Occupancy")),
                    put("theoretical_occupancy_pct", value("Theoretical Occupancy")),
                    put("registers_per_thread", value("Registers Per Thread")),
                    put("dynamic_shared_memory_KiB", shared ? std::optional<double>(to_kib(*shared)) : std::nullopt),
                    put("blocks_per_sm", blocks)});
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& [name, m] : k.metrics) metrics[name] = {{"unit", m.unit}, {"value", m.value}};
    data[t.name] = {{"kernel", k.kernel}, {"filter", t.filter}, {"metrics", metrics}};
  }
  ctx.record.data = data;
  ctx.record.markdown =
      "One launch per target (`ncu --section SpeedOfLight --section Occupancy --section LaunchStats`, after 3 "
      "launches of warm-up); the full metrics are in report.json and data/ncu_*.csv.\n\n" +
      markdown_table({"target", "DRAM throughput (% of peak)", "achieved occupancy (%)", "theoretical occupancy (%)",
                      "registers/thread", "dynamic shared memory (KiB)", "blocks/SM"},
                     rows);
}

std::string unavailable(const SectionContext& ctx) {
  if (find_on_path("ncu").empty()) return "ncu (Nsight Compute) is not on PATH";
  if (ctx.layout.lossbench_bench.empty()) return "lossbench_bench not found";
  return "";
}

}  // namespace

SectionDefinition ncu_section() {
  return {"ncu", "Nsight Compute: DRAM throughput, occupancy, registers", 90, 45, 15, true, unavailable, run};
}

}  // namespace lossbench::report
