#include "command_verify.hpp"

#include <chrono>
#include <cstdio>

#include "lossbench/core/error.hpp"
#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/verify/verify.hpp"

namespace lossbench::cli {

CLI::App* add_verify_command(CLI::App& app, VerifyCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Check every fused kernel (loss × dtype × reduction × option × size × pointer offset) against the "
      "double-precision CPU reference, that every output element is written, and that two runs give the same "
      "bits. Exits 1 if any case fails.");
  cmd->add_option("--backend", options.backend, "emu or cuda (default: cuda when a GPU is usable, else emu)")
      ->check(CLI::IsMember({"emu", "cuda", "ref"}));
  cmd->add_flag("--quick", options.quick, "Skip the 10^6 + 3 size and one random size");
  cmd->add_option("--filter", options.filter, "Only the cases whose name contains this, e.g. bce/f16/mean");
  cmd->add_option("--seed", options.seed, "Seed of the random inputs and sizes")->capture_default_str();
  return cmd;
}

bool run_verify_command(const VerifyCommandOptions& options, std::ostream& out, std::ostream& progress) {
  const Backend backend = options.backend.empty() ? best_kernel_backend() : parse_backend(options.backend);
  const BackendAvailability availability = backend_availability(backend);
  if (!availability.available) {
    throw BackendError("backend " + std::string(to_string(backend)) + " is not available: " + availability.reason);
  }
  std::vector<VerifyCase> cases;
  for (const VerifyCase& c : standard_verify_cases(options.quick, options.seed)) {
    if (c.name().find(options.filter) != std::string::npos) cases.push_back(c);
  }
  if (cases.empty()) throw InputError("verify: no case matches --filter '" + options.filter + "'");

  out << "lossbench verify on backend " << to_string(backend) << ": " << cases.size() << " cases, seed "
      << options.seed << "\n"
      << "errors are in units of the bound (<= 1 passes; see host/include/lossbench/loss/fused_loss_bounds.hpp):\n"
      << "  gradient: 1e-6 relative to the reference and to the terms of a − y, plus one rounding to the\n"
      << "  output type (f16 2^-11, bf16 2^-8); reduced loss: " << kReducedLossRelativeBound << " relative\n\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-40s %8s %10s %10s %8s %6s  %s\n", "case", "n", "grad err", "loss err",
                "written", "same", "result");
  out << line;
  std::size_t failures = 0;
  const auto start = std::chrono::steady_clock::now();
  auto last_progress = start;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const VerifyResult r = verify_case(cases[k], backend);
    std::snprintf(line, sizeof line, "%-40s %8lld %10.3g %10.3g %8s %6s  %s\n", r.config.name().c_str(),
                  static_cast<long long>(r.config.n), r.grad_error, r.loss_error, r.all_written ? "yes" : "NO",
                  r.deterministic ? "yes" : "NO", r.passed() ? "PASS" : "FAIL");
    out << line;
    if (!r.passed()) {
      ++failures;
      out << "    first problem: " << r.first_problem << " (seed " << r.config.seed << ")\n";
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_progress > std::chrono::seconds(5)) {
      progress << "verify: " << k + 1 << "/" << cases.size() << " cases\n";
      last_progress = now;
    }
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  out << "\n" << cases.size() - failures << " passed, " << failures << " failed (" << elapsed.count() << " s)\n";
  return failures == 0;
}

}  // namespace lossbench::cli
