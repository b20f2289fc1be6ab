#include "cpu_description.hpp"

#include <unistd.h>

#include <fstream>
#include <thread>

namespace lossbench::report {

CpuDescription describe_cpu() {
  CpuDescription cpu;
  cpu.model = "unknown";
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);) {
    if (line.rfind("model name", 0) == 0) {
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) cpu.model = line.substr(line.find_first_not_of(" \t", colon + 1));
      break;
    }
  }
  cpu.logical_cores = std::thread::hardware_concurrency();
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0) cpu.memory_bytes = static_cast<std::int64_t>(pages) * page_size;
  return cpu;
}

}  // namespace lossbench::report
