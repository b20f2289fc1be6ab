#include "command_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "measure/bench_case.hpp"
#include "measure/cpu_bandwidth.hpp"
#include "measure/gpu_measure.hpp"
#include "lossbench/core/cpu_threads.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"
#include "lossbench/loss/unfused_baseline.hpp"
#include "measure/traffic.hpp"

namespace lossbench::cli {

CLI::App* add_bench_command(CLI::App& app, BenchCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "bench",
      "A short benchmark of loss + gradient (mean) at a few sizes, median of repeats: the fused kernel and the "
      "unfused baseline on the GPU, the cpu backend's fused loss, and the double-precision CPU reference, each "
      "with its time, GB/s, % of the measured copy bandwidth, and speed-ups over the unfused baseline, the cpu "
      "backend and the reference. Without a GPU, the cpu backend and the reference.");
  cmd->add_option("--sizes", options.sizes, "Element counts (default 2^20 2^24 2^26 on a GPU, 2^16 2^20 2^24 without)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--repeats", options.repeats, "Samples per measurement; the median is reported")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_flag("--json", options.json, "Print the rows as JSON instead of a table");
  cmd->add_flag("--profile", options.profile,
                "Run each kernel a fixed small number of times (3) inside cudaProfilerStart/Stop, for ncu/nsys");
  return cmd;
}

namespace {

struct Row {
  std::string kernel;
  std::string loss;
  DType dtype;
  std::int64_t n;
  double seconds;
  std::int64_t bytes;
  double peak;
  // Time of the slower implementation over this row's: the GPU's unfused
  // baseline, the cpu backend's fused loss, the double-precision reference.
  std::optional<double> speedup_vs_unfused;
  std::optional<double> speedup_vs_cpu;
  std::optional<double> speedup_vs_cpu_reference;
};

// Median wall time of `repeats` calls of `run` after one untimed call (which
// starts the cpu backend's threads and touches the output's pages).
template <class Run>
double median_wall_seconds(Run&& run, int repeats) {
  run();
  std::vector<double> samples;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    run();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    samples.push_back(elapsed.count());
  }
  std::nth_element(samples.begin(), samples.begin() + samples.size() / 2, samples.end());
  return samples[samples.size() / 2];
}

double median_cpu_reference_seconds(const measure::BenchCase& c, int repeats) {
  const ConstArrayView z{c.z.data(), c.dtype, c.n};
  const ConstArrayView y{c.y.data(), c.dtype, c.n};
  return median_wall_seconds(
      [&] {
        reference::Options options{.activation = c.call.activation};
        if (c.call.weight != nullptr) options.weight = {{c.call.weight, c.dtype, c.call.weight_layout}};
        const reference::Result result = reference::compute(c.call.loss, Reduction::mean, z, y, options);
        if (!result.reduced_loss) throw std::logic_error("reference returned no reduced loss");
      },
      repeats);
}

// The CPU reference is slow (~100 ns per element): beyond this, it is not run.
constexpr std::int64_t kCpuReferenceCap = std::int64_t{1} << 22;

std::optional<double> ratio_of(const std::optional<double>& slow, double fast) {
  return slow ? std::optional<double>(*slow / fast) : std::nullopt;
}

void print_rows(const std::vector<Row>& rows, bool json, std::ostream& out) {
  if (json) {
    nlohmann::json array = nlohmann::json::array();
    for (const Row& r : rows) {
      nlohmann::json j;
      j["kernel"] = r.kernel;
      j["loss"] = r.loss;
      j["dtype"] = to_string(r.dtype);
      j["n"] = r.n;
      j["seconds"] = r.seconds;
      j["bytes"] = r.bytes;
      j["bytes_per_second"] = static_cast<double>(r.bytes) / r.seconds;
      j["pct_of_peak"] = 100.0 * static_cast<double>(r.bytes) / r.seconds / r.peak;
      const auto optional = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
      j["speedup_vs_unfused"] = optional(r.speedup_vs_unfused);
      j["speedup_vs_cpu"] = optional(r.speedup_vs_cpu);
      j["speedup_vs_cpu_reference"] = optional(r.speedup_vs_cpu_reference);
      array.push_back(j);
    }
    out << array.dump(2) << '\n';
    return;
  }
  char line[256];
  std::snprintf(line, sizeof line, "%-16s %-12s %-5s %10s %12s %9s %9s %11s %9s %9s\n", "kernel", "loss", "dtype",
                "n", "time", "GB/s", "% peak", "vs unfused", "vs cpu", "vs ref");
  out << line;
  const auto ratio = [](const std::optional<double>& v) {
    char text[32];
    if (v) {
      std::snprintf(text, sizeof text, "%.2fx", *v);
    } else {
      std::snprintf(text, sizeof text, "-");
    }
    return std::string(text);
  };
  for (const Row& r : rows) {
    const double seconds = r.seconds;
    char time[32];
    if (seconds < 1e-3) {
      std::snprintf(time, sizeof time, "%.1f us", seconds * 1e6);
    } else {
      std::snprintf(time, sizeof time, "%.2f ms", seconds * 1e3);
    }
    std::snprintf(line, sizeof line, "%-16s %-12s %-5s %10lld %12s %9.1f %9.1f %11s %9s %9s\n", r.kernel.c_str(),
                  r.loss.c_str(), std::string(to_string(r.dtype)).c_str(), static_cast<long long>(r.n), time,
                  static_cast<double>(r.bytes) / seconds / 1e9, 100.0 * static_cast<double>(r.bytes) / seconds / r.peak,
                  ratio(r.speedup_vs_unfused).c_str(), ratio(r.speedup_vs_cpu).c_str(),
                  ratio(r.speedup_vs_cpu_reference).c_str());
    out << line;
  }
}

}  // namespace

void run_bench_command(const BenchCommandOptions& options, std::ostream& out, std::ostream& progress) {
  const BackendAvailability cuda = backend_availability(Backend::cuda);
  const bool gpu = cuda.available;
  std::vector<std::int64_t> sizes = options.sizes;
  if (sizes.empty()) {
    sizes = gpu ? std::vector<std::int64_t>{1 << 20, 1 << 24, 1 << 26}
                : std::vector<std::int64_t>{1 << 16, 1 << 20, 1 << 24};
  }
  if (options.profile && !gpu) throw BackendError("--profile needs a GPU: " + cuda.reason);

  const double cpu_peak = measure::measure_cpu_copy_bandwidth();
  const double gpu_peak = gpu ? measure::gpu_copy_bandwidth() : 0.0;
  if (!options.json) {
    char line[256];
    std::snprintf(line, sizeof line, "lossbench bench: loss + gradient, mean reduction; median of %d\n",
                  options.repeats);
    out << line;
    std::snprintf(line, sizeof line, "peaks (copy bandwidth, read + write): CPU %.1f GB/s", cpu_peak / 1e9);
    out << line;
    if (gpu) {
      std::snprintf(line, sizeof line, ", GPU %.1f GB/s", gpu_peak / 1e9);
      out << line;
    }
    out << "\n";
    if (gpu) out << "fused: the GPU's kernel; unfused_baseline: the GPU's chain of kernels; ";
    out << "cpu_fused: the cpu backend, " << cpu_threads() << " threads; cpu_reference: the double-precision "
        << "reference, n <= " << kCpuReferenceCap << "\nvs unfused, cpu, ref: their time over the row's\n";
    if (!gpu) out << "no GPU: " << cuda.reason << "; the cpu backend and the CPU reference only\n";
    out << "\n";
  }

  const int repeats = options.profile ? 1 : options.repeats;
  const int batch = options.profile ? 3 : 20;
  if (options.profile) measure::gpu_profiler_start();
  std::vector<Row> rows;
  const auto start = std::chrono::steady_clock::now();
  // The weighted row (bce with a weight of the input's shape) has no unfused
  // baseline: the baseline has no weights.
  struct Variant {
    ElementwiseLoss loss;
    bool weighted;
  };
  for (const auto& [loss, weighted] : {Variant{Loss::bce, false}, Variant{Loss::mse, false},
                                       Variant{{Loss::mse, Activation::identity}, false}, Variant{Loss::bce, true}}) {
    for (const DType dtype : {DType::f32, DType::bf16}) {
      for (const std::int64_t n : sizes) {
        const std::string loss_name = name_of(loss) + (weighted ? "+weight" : "");
        if (std::chrono::steady_clock::now() - start > std::chrono::seconds(3)) {
          progress << "bench: " << loss_name << " " << to_string(dtype) << " n=" << n << "\n";
        }
        const std::int64_t fused_bytes = measure::fused_bytes(
            {measure::Pass::forward_grad, Reduction::mean, dtype, n, loss.activation, weighted});
        // The CPU's rows, measured first so that the GPU's can be compared
        // with them, printed after them. Not under --profile: it is for the GPU's kernels.
        std::optional<double> cpu_seconds;
        std::optional<double> reference_seconds;
        if (!options.profile) {
          // Host memory: the reference reads the cpu backend's inputs.
          measure::BenchCase host_case(Backend::cpu, loss, dtype, measure::Pass::forward_grad, n, weighted);
          cpu_seconds = median_wall_seconds(
              [&] { fused_loss(host_case.call, Backend::cpu, host_case.workspace.data(), host_case.workspace.size()); },
              repeats);
          if (n <= kCpuReferenceCap) {
            reference_seconds = median_cpu_reference_seconds(host_case, std::min(repeats, 3));
          }
        }
        if (gpu) {
          measure::BenchCase c(Backend::cuda, loss, dtype, measure::Pass::forward_grad, n, weighted);
          const double fused = measure::median_gpu_seconds(
              [&] { fused_loss(c.call, Backend::cuda, c.workspace.data(), c.workspace.size()); }, repeats, batch,
              "lossbench bench: fused");
          std::optional<double> unfused;
          if (!weighted) {
            UnfusedBaseline baseline(Backend::cuda, c.call);
            unfused = measure::median_gpu_seconds([&] { baseline.run(c.call, nullptr); }, repeats, batch,
                                                  "lossbench bench: unfused");
          }
          rows.push_back({"fused", loss_name, dtype, n, fused, fused_bytes, gpu_peak, ratio_of(unfused, fused),
                          ratio_of(cpu_seconds, fused), ratio_of(reference_seconds, fused)});
          if (unfused) {
            rows.push_back({"unfused_baseline", loss_name, dtype, n, *unfused,
                            measure::unfused_bytes({measure::Pass::forward_grad, Reduction::mean, dtype, n,
                                                    loss.activation}),
                            gpu_peak, std::nullopt, ratio_of(cpu_seconds, *unfused),
                            ratio_of(reference_seconds, *unfused)});
          }
        }
        if (cpu_seconds) {
          rows.push_back({"cpu_fused", loss_name, dtype, n, *cpu_seconds, fused_bytes, cpu_peak, std::nullopt,
                          std::nullopt, ratio_of(reference_seconds, *cpu_seconds)});
        }
        if (reference_seconds) {
          // The bytes the fused loss must move for the same work, so that the rates compare.
          rows.push_back({"cpu_reference", loss_name, dtype, n, *reference_seconds, fused_bytes, cpu_peak,
                          std::nullopt, std::nullopt, std::nullopt});
        }
      }
    }
  }
  if (options.profile) measure::gpu_profiler_stop();
  print_rows(rows, options.json, out);
}

}  // namespace lossbench::cli
