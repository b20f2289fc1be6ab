// `lossbench verify`: the whole sweep on the GPU (--quick with --quick);
// without a GPU, the quick sweep on the emulator, with as many emulator
// workers as there are cores unless LOSSBENCH_EMU_WORKERS says otherwise.
#include <cstdlib>
#include <thread>

#include "json_file.hpp"
#include "markdown_table.hpp"
#include "sections/sections.hpp"
#include "sections/verify_output.hpp"

namespace lossbench::report {
namespace {

void run(SectionContext& ctx) {
  const bool quick = ctx.quick() || !ctx.gpu();
  std::vector<std::string> argv{ctx.layout.lossbench.string(), "verify", "--backend", ctx.gpu() ? "cuda" : "emu"};
  if (quick) argv.push_back("--quick");
  std::vector<std::pair<std::string, std::string>> environment;
  if (!ctx.gpu() && std::getenv("LOSSBENCH_EMU_WORKERS") == nullptr) {
    environment.emplace_back("LOSSBENCH_EMU_WORKERS", std::to_string(std::max(1u, std::thread::hardware_concurrency())));
  }
  const ProcessOutcome outcome = ctx.run("verify", argv, environment);
  const VerifySummary v = parse_verify_output(read_text_file(ctx.settings.out / ctx.record.logs.back()));
  ctx.record.data = {{"backend", ctx.gpu() ? "cuda" : "emu"},
                     {"quick", quick},
                     {"header", v.header},
                     {"summary", v.summary},
                     {"cases", v.cases},
                     {"passed", v.passed},
                     {"failed", v.failed},
                     {"seconds", v.seconds},
                     {"failures", v.failures},
                     {"exit", outcome.describe()}};
  std::string md = "`" + std::string(ctx.gpu() ? "lossbench verify --backend cuda" : "lossbench verify --backend emu") +
                   (quick ? " --quick" : "") + "`" + (ctx.gpu() ? "" : " (no GPU: the kernels under the emulator)") +
                   "\n\n";
  if (!v.header.empty()) md += "- " + v.header + "\n";
  md += "- " + (v.summary.empty() ? std::string("no summary line: the sweep did not finish") : v.summary) + "\n";
  if (!v.failures.empty()) {
    md += "\nFailing cases (first " + std::to_string(v.failures.size()) + "):\n\n```\n";
    for (const std::string& f : v.failures) md += f + "\n";
    md += "```\n";
  }
  ctx.record.markdown = md;
  ctx.record.measurements["cases"] = static_cast<double>(v.cases);
  ctx.record.measurements["failed"] = static_cast<double>(v.failed);
  if (outcome.end == ProcessEnd::exited && outcome.exit_code == 3) {
    ctx.record.status = SectionStatus::failed;
    ctx.record.reason = std::to_string(v.failed) + " of " + std::to_string(v.cases) + " cases failed";
  } else if (!outcome.succeeded()) {
    ctx.record_failure("lossbench verify", outcome);
  } else if (v.summary.empty()) {
    ctx.record.status = SectionStatus::failed;
    ctx.record.reason = "verify exited 0 without its summary line";
  }
}

}  // namespace

// A quick run's limit is set by the no-GPU path, the emulated quick sweep
// (fused loss, softmax losses, Gaussian NLL, training step): about 30 s
// here, 190 s in the sanitizer build, more on a loaded machine. On a GPU the
// quick sweep takes seconds, so the cap costs the budget nothing.
SectionDefinition verify_section() {
  return {"verify", "Verification against the double-precision reference", 150, 300, 10, false, nullptr, run};
}

}  // namespace lossbench::report
