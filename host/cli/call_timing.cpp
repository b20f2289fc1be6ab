#include "call_timing.hpp"

#include <algorithm>
#include <chrono>

#include "measure/gpu_measure.hpp"

namespace lossbench::cli {
namespace {

// The median of a non-empty list: the middle value, or the mean of the two
// middle values for an even count.
double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t half = values.size() / 2;
  return values.size() % 2 == 1 ? values[half] : 0.5 * (values[half - 1] + values[half]);
}

}  // namespace

std::vector<double> call_milliseconds(Backend backend, const std::function<void()>& call_once, int repeats,
                                      const std::function<void()>& restore) {
  std::vector<double> milliseconds;
  if (backend == Backend::cuda) {
    for (const double s : measure::gpu_call_seconds(call_once, repeats, restore)) milliseconds.push_back(s * 1e3);
    return milliseconds;
  }
  if (restore) restore();
  call_once();
  for (int r = 0; r < repeats; ++r) {
    if (restore) restore();
    const auto start = std::chrono::steady_clock::now();
    call_once();
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
    milliseconds.push_back(elapsed.count());
  }
  return milliseconds;
}

void add_call_times(nlohmann::json& report, const std::vector<double>& milliseconds, int repeats) {
  report["time_ms"] = median(milliseconds);
  report["times_ms"] = {{"min", *std::min_element(milliseconds.begin(), milliseconds.end())},
                        {"median", median(milliseconds)}};
  report["repeats"] = repeats;
}

}  // namespace lossbench::cli
