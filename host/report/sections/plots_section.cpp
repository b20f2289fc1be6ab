// PNG plots of the benchmark results with bench/plot.py (installed in
// share/lossbench/), when a python3 on PATH can import matplotlib.
#include "json_file.hpp"
#include "process_runner.hpp"
#include "sections/sections.hpp"

namespace lossbench::report {
namespace {

void run(SectionContext& ctx) {
  const std::string python = find_on_path("python3").string();
  const ProcessOutcome check = ctx.run("plots/matplotlib", {python, "-c", "import matplotlib"}, {}, 20);
  if (!check.succeeded()) {
    ctx.record.status = SectionStatus::skipped;
    ctx.record.reason = python + " cannot import matplotlib (install python3-matplotlib)";
    return;
  }
  std::string label = ctx.document.gpu ? ctx.document.gpu_name : std::string("CPU only, no GPU");
  label += ", " + ctx.document.started_at;
  std::string md;
  for (const char* results : {"loss_bench", "train_step_bench"}) {
    const std::filesystem::path json = ctx.settings.out / "data" / (std::string(results) + ".json");
    if (!std::filesystem::exists(json)) continue;
    const std::string directory = std::string("plots/") + results;
    const ProcessOutcome outcome =
        ctx.run(directory, {python, ctx.layout.plot_script.string(), json.string(), "--out",
                            (ctx.settings.out / directory).string(), "--label", label});
    if (!outcome.succeeded()) {
      ctx.record_failure(std::string("plot.py ") + results, outcome);
      continue;
    }
    for (const char* png : {"throughput.png", "fused_vs_unfused.png"}) {
      if (std::filesystem::exists(ctx.settings.out / directory / png)) {
        md += "![" + std::string(results) + " " + png + "](" + directory + "/" + png + ")\n\n";
      }
    }
  }
  if (md.empty() && ctx.record.status == SectionStatus::pending) {
    ctx.record.status = SectionStatus::skipped;
    ctx.record.reason = "no benchmark results to plot";
  }
  ctx.record.markdown = md;
}

std::string unavailable(const SectionContext& ctx) {
  if (find_on_path("python3").empty()) return "python3 is not on PATH";
  if (ctx.layout.plot_script.empty()) return "plot.py not found";
  return "";
}

}  // namespace

SectionDefinition plots_section() {
  return {"plots", "Plots", 30, 20, 5, false, unavailable, run};
}

}  // namespace lossbench::report
