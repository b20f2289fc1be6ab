#include "measure/cpu_bandwidth.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

#include "measure/traffic.hpp"

namespace lossbench::measure {

double measure_cpu_copy_bandwidth() {
  constexpr std::size_t kBytes = std::size_t{256} << 20;
  std::vector<unsigned char> source(kBytes, 1), destination(kBytes, 0);  // touched: no first-use page faults
  double best_seconds = 1e30;
  for (int pass = 0; pass < 5; ++pass) {
    const auto start = std::chrono::steady_clock::now();
    std::memcpy(destination.data(), source.data(), kBytes);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    best_seconds = std::min(best_seconds, elapsed.count());
    source[pass] = destination[kBytes - 1 - pass];  // a dependency the optimiser cannot remove
  }
  return static_cast<double>(copy_traffic(static_cast<std::int64_t>(kBytes))) / best_seconds;
}

}  // namespace lossbench::measure
