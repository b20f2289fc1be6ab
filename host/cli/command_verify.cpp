#include "command_verify.hpp"

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <string>
#include <vector>

#include "lossbench/core/error.hpp"
#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/train/train_step.hpp"
#include "lossbench/loss/gaussian_nll.hpp"
#include "lossbench/loss/softmax_loss.hpp"
#include "lossbench/verify/verify.hpp"
#include "lossbench/verify/verify_gaussian_nll.hpp"
#include "lossbench/verify/verify_softmax.hpp"
#include "lossbench/verify/verify_train_step.hpp"

namespace lossbench::cli {
namespace {

using Clock = std::chrono::steady_clock;

// A line to `progress` at most every 5 s, so that a long sweep shows life.
class ProgressTicker {
 public:
  ProgressTicker(std::ostream& progress, std::size_t total) : progress_(progress), total_(total) {}
  void done_one() {
    ++done_;
    const auto now = Clock::now();
    if (now - last_ > std::chrono::seconds(5)) {
      progress_ << "verify: " << done_ << "/" << total_ << " cases\n";
      last_ = now;
    }
  }

 private:
  std::ostream& progress_;
  std::size_t total_;
  std::size_t done_ = 0;
  Clock::time_point last_ = Clock::now();
};

template <class Case>
bool selected(const Case& c, const std::string& filter) {
  return c.name().find(filter) != std::string::npos;
}

// The first few mismatches of a failing case, and every other problem.
void print_failure(std::ostream& out, const MismatchLog& log, std::uint64_t seed) {
  out << "    inputs drawn from seed " << seed << "\n";
  log.print(out, "    ");
}

// What one case printed: its line of the table, and its findings.
struct CaseOutcome {
  std::string line;
  MismatchLog log;
};

// "yes"/"NO" and "PASS"/"FAIL" columns, from the findings.
const char* yes_no(bool value) { return value ? "yes" : "NO"; }
const char* verdict(const MismatchLog& log) { return log.passed() ? "PASS" : "FAIL"; }

// One sweep: each case's line, a failing case's mismatches below it.
template <class Case, class Check>
std::size_t run_cases(const std::vector<Case>& cases, std::ostream& out, ProgressTicker& ticker, Check&& check) {
  std::size_t failures = 0;
  for (const Case& c : cases) {
    const CaseOutcome outcome = check(c);
    out << outcome.line;
    if (!outcome.log.passed()) {
      ++failures;
      print_failure(out, outcome.log, c.seed);
    }
    ticker.done_one();
  }
  return failures;
}

std::string format_line(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string format_line(const char* format, ...) {
  char line[320];
  va_list args;
  va_start(args, format);
  std::vsnprintf(line, sizeof line, format, args);
  va_end(args);
  return line;
}

// A backend without a facility fails each of its cases, saying so, rather
// than passing a sweep it never ran.
template <class Case>
std::size_t fail_cases(const std::vector<Case>& cases, const char* facility, Backend backend, std::ostream& out,
                       ProgressTicker& ticker) {
  out << "\n" << facility << ": " << cases.size() << " cases\n\n";
  for (const Case& c : cases) {
    out << format_line("%-40s  FAIL: backend %s has no %s in this build\n", c.name().c_str(),
                       std::string(to_string(backend)).c_str(), facility);
    ticker.done_one();
  }
  return cases.size();
}

std::size_t run_loss_cases(const std::vector<VerifyCase>& cases, Backend backend, std::ostream& out,
                           ProgressTicker& ticker) {
  out << "\nfused loss: " << cases.size() << " cases\n"
      << "errors are in units of the bound (<= 1 passes; see host/include/lossbench/loss/fused_loss_bounds.hpp):\n"
      << "  gradient: 1e-6 relative to the reference and to the terms of a − y, plus one rounding to the\n"
      << "  output type (f16 2^-11, bf16 2^-8); reduced loss: " << kReducedLossRelativeBound << " relative\n\n"
      << format_line("%-40s %8s %10s %10s %8s %6s  %s\n", "case", "n", "grad err", "loss err", "written", "same",
                     "result");
  return run_cases(cases, out, ticker, [&](const VerifyCase& c) {
    VerifyResult r = verify_case(c, backend);
    return CaseOutcome{format_line("%-40s %8lld %10.3g %10.3g %8s %6s  %s\n", c.name().c_str(),
                                   static_cast<long long>(c.n), r.grad_error, r.loss_error, yes_no(r.all_written),
                                   yes_no(r.deterministic), verdict(r.log)),
                       std::move(r.log)};
  });
}

std::size_t run_softmax_cases(const std::vector<SoftmaxVerifyCase>& cases, Backend backend, std::ostream& out,
                              ProgressTicker& ticker) {
  if (!has_softmax_loss(backend)) return fail_cases(cases, "softmax loss", backend, out, ticker);
  out << "\nsoftmax loss: " << cases.size() << " cases\n"
      << "errors are in units of the bound (<= 1 passes; see host/include/lossbench/loss/softmax_bounds.hpp):\n"
      << "  each output derived term by term from the float math's roundings, plus one rounding to the\n"
      << "  output type; H: the entropy output\n\n"
      << format_line("%-56s %10s %10s %10s %8s %6s  %s\n", "case", "grad err", "loss err", "H err", "written",
                     "same", "result");
  return run_cases(cases, out, ticker, [&](const SoftmaxVerifyCase& c) {
    SoftmaxVerifyResult r = verify_softmax_case(c, backend);
    return CaseOutcome{format_line("%-56s %10.3g %10.3g %10.3g %8s %6s  %s\n", c.name().c_str(), r.grad_error,
                                   r.loss_error, r.entropy_error, yes_no(r.all_written), yes_no(r.deterministic),
                                   verdict(r.log)),
                       std::move(r.log)};
  });
}

std::size_t run_gaussian_nll_cases(const std::vector<GaussianNllVerifyCase>& cases, Backend backend,
                                  std::ostream& out, ProgressTicker& ticker) {
  if (!has_gaussian_nll(backend)) return fail_cases(cases, "gaussian nll", backend, out, ticker);
  out << "\ngaussian nll: " << cases.size() << " cases\n"
      << "errors are in units of the bound (<= 1 passes; see host/include/lossbench/loss/gaussian_nll_bounds.hpp),\n"
      << "  the largest over the gradients and the loss\n\n"
      << format_line("%-48s %8s %10s %8s %6s  %s\n", "case", "n", "max err", "written", "same", "result");
  return run_cases(cases, out, ticker, [&](const GaussianNllVerifyCase& c) {
    GaussianNllVerifyResult r = verify_gaussian_nll_case(c, backend);
    const MismatchLog& log = r.log;
    return CaseOutcome{format_line("%-48s %8lld %10.3g %8s %6s  %s\n", c.name().c_str(), static_cast<long long>(c.n),
                                   log.max_error(), yes_no(log.unwritten_elements() == 0 && log.guards_intact()),
                                   yes_no(log.same_bits()), verdict(log)),
                       std::move(r.log)};
  });
}

std::size_t run_train_step_cases(const std::vector<TrainStepVerifyCase>& cases, Backend backend, std::ostream& out,
                                 ProgressTicker& ticker) {
  if (!has_train_step(backend)) return fail_cases(cases, "training step", backend, out, ticker);
  out << "\ntraining step: " << cases.size() << " cases\n"
      << "errors are in units of the bound (<= 1 passes; see host/include/lossbench/train/train_step_bounds.hpp):\n"
      << "  dW, db: Higham's gamma of the kernel's float sums times the magnitude of their terms;\n"
      << "  L: 1e-5 relative plus 1e-6\n\n"
      << format_line("%-40s %10s %10s %10s %8s %6s  %s\n", "case", "dW err", "db err", "L err", "written", "same",
                     "result");
  return run_cases(cases, out, ticker, [&](const TrainStepVerifyCase& c) {
    TrainStepVerifyResult r = verify_train_step_case(c, backend);
    return CaseOutcome{format_line("%-40s %10.3g %10.3g %10.3g %8s %6s  %s\n", c.name().c_str(),
                                   r.grad_weights_error, r.grad_bias_error, r.loss_error, yes_no(r.all_written),
                                   yes_no(r.deterministic), verdict(r.log)),
                       std::move(r.log)};
  });
}

}  // namespace

CLI::App* add_verify_command(CLI::App& app, VerifyCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Check the fused loss kernels (loss × dtype × reduction × option × size × pointer offset), the softmax "
      "losses (cross-entropy with class indices or probabilities, KL; V from 1 to 131072), the Gaussian NLL "
      "and the fused training step (loss × batch shape × alignment of X) against the double-precision CPU reference, that "
      "every output element is written and nothing next to it, and that two runs give the same bits. Exits 0 "
      "when every case passes, 3 when one fails (its first few mismatches are printed), 2 on bad input, 1 when "
      "the backend cannot run.");
  cmd->add_option("--backend", options.backend,
                  "emu (the CUDA kernels under the emulator), cuda (the GPU) or cpu (SIMD + threads on the CPU); "
                  "ref checks the reference against itself (default: cuda when a GPU is usable, else emu)")
      ->check(CLI::IsMember({"emu", "cuda", "cpu", "ref"}));
  cmd->add_flag("--quick", options.quick,
                "Skip the loss's 10^6 + 3 size and one random size, softmax rows of 32768 classes and more, and "
                "the larger training-step shapes");
  cmd->add_option("--filter", options.filter,
                  "Only the cases whose name contains this, e.g. bce/f16/mean, kl/bf16 or train/bce/n=65");
  cmd->add_option("--seed", options.seed, "Seed of the random inputs and sizes")->capture_default_str();
  return cmd;
}

bool run_verify_command(const VerifyCommandOptions& options, std::ostream& out, std::ostream& progress) {
  const Backend backend = options.backend.empty() ? best_kernel_backend() : parse_backend(options.backend);
  const BackendAvailability availability = backend_availability(backend);
  if (!availability.available) {
    throw BackendError("backend " + std::string(to_string(backend)) + " is not available: " + availability.reason);
  }
  std::vector<VerifyCase> loss_cases;
  for (const VerifyCase& c : standard_verify_cases(options.quick, options.seed)) {
    if (selected(c, options.filter)) loss_cases.push_back(c);
  }
  // Shapes beyond a backend's stated limits are left out, and counted aloud;
  // a backend without the step has no limits to state, and fails every case.
  const bool trains = has_train_step(backend);
  const TrainStepLimits limits = trains ? train_step_limits(backend) : TrainStepLimits{};
  std::vector<TrainStepVerifyCase> train_cases;
  std::size_t beyond_limits = 0;
  for (const TrainStepVerifyCase& c : standard_train_step_verify_cases(options.quick, options.seed)) {
    if (!selected(c, options.filter)) continue;
    if (trains && (c.d > limits.max_inputs || c.k > limits.max_outputs)) {
      ++beyond_limits;
    } else {
      train_cases.push_back(c);
    }
  }
  std::vector<SoftmaxVerifyCase> softmax_cases;
  for (const SoftmaxVerifyCase& c : standard_softmax_verify_cases(options.quick, options.seed)) {
    if (selected(c, options.filter)) softmax_cases.push_back(c);
  }
  std::vector<GaussianNllVerifyCase> gaussian_cases;
  for (const GaussianNllVerifyCase& c : standard_gaussian_nll_cases(options.quick, options.seed)) {
    if (selected(c, options.filter)) gaussian_cases.push_back(c);
  }
  const std::size_t total = loss_cases.size() + softmax_cases.size() + gaussian_cases.size() + train_cases.size();
  if (total == 0) {
    const std::string within =
        beyond_limits > 0 ? " within backend " + std::string(to_string(backend)) + "'s limits" : "";
    throw InputError("verify: no case" + within + " matches --filter '" + options.filter + "'");
  }

  out << "lossbench verify on backend " << to_string(backend) << ": " << total << " cases (" << loss_cases.size()
      << " fused loss, " << softmax_cases.size() << " softmax loss, " << gaussian_cases.size() << " gaussian nll, "
      << train_cases.size() << " training step), seed " << options.seed << "\n";
  if (beyond_limits > 0) {
    out << beyond_limits << " training-step cases left out: beyond backend " << to_string(backend)
        << "'s limits (d <= " << limits.max_inputs << ", k <= " << limits.max_outputs << ")\n";
  }
  ProgressTicker ticker(progress, total);
  const auto start = Clock::now();
  std::size_t failures = 0;
  if (!loss_cases.empty()) failures += run_loss_cases(loss_cases, backend, out, ticker);
  if (!softmax_cases.empty()) failures += run_softmax_cases(softmax_cases, backend, out, ticker);
  if (!gaussian_cases.empty()) failures += run_gaussian_nll_cases(gaussian_cases, backend, out, ticker);
  if (!train_cases.empty()) failures += run_train_step_cases(train_cases, backend, out, ticker);
  const std::chrono::duration<double> elapsed = Clock::now() - start;
  out << "\n" << total - failures << " passed, " << failures << " failed (" << elapsed.count() << " s)\n";
  return failures == 0;
}

}  // namespace lossbench::cli
