#include "default_job.hpp"

#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "lossbench/error.hpp"
#include "lossbench/reference.hpp"

namespace lossbench::cli {
namespace {

// A batch like a classifier's late in training: logits spread over a few
// units with some saturated outliers, hard labels mostly, some soft.
void generate_batch(std::int64_t n, std::uint64_t seed, std::vector<float>& logits, std::vector<float>& targets) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> logit(0.0f, 4.0f);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  logits.resize(static_cast<std::size_t>(n));
  targets.resize(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < logits.size(); ++i) {
    logits[i] = logit(rng);
    const float u = unit(rng);
    targets[i] = u < 0.45f ? 0.0f : u < 0.9f ? 1.0f : unit(rng);
  }
}

}  // namespace

void run_default_job(const DefaultJobOptions& options, std::ostream& out) {
  if (options.size < 0) throw InputError("--size must be non-negative, got " + std::to_string(options.size));
  std::vector<float> logits;
  std::vector<float> targets;
  generate_batch(options.size, options.seed, logits, targets);
  const ConstArrayView z{logits.data(), DType::f32, options.size};
  const ConstArrayView y{targets.data(), DType::f32, options.size};

  out << "lossbench: CPU reference (double precision) on a generated f32 batch, n = " << options.size
      << ", seed = " << options.seed << "\n";
  out << "(GPU kernels, verification and benchmarks arrive with later issues)\n\n";
  char line[160];
  std::snprintf(line, sizeof line, "%-5s %-9s %22s %12s %14s\n", "loss", "reduction", "loss value", "time [ms]",
                "Melem/s");
  out << line;
  for (const Loss loss : {Loss::mse, Loss::bce}) {
    for (const Reduction reduction : {Reduction::mean, Reduction::sum}) {
      const auto start = std::chrono::steady_clock::now();
      const reference::Result result = reference::compute(loss, reduction, z, y);
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
      std::snprintf(line, sizeof line, "%-5s %-9s %22.15g %12.3f %14.1f\n", to_string(loss).data(),
                    to_string(reduction).data(), *result.reduced_loss, elapsed.count() * 1e3,
                    static_cast<double>(options.size) / elapsed.count() / 1e6);
      out << line;
    }
  }
}

}  // namespace lossbench::cli
