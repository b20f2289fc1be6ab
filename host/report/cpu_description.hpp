#pragma once
// The host CPU and memory, as Linux describes them.
#include <cstdint>
#include <string>

namespace lossbench::report {

struct CpuDescription {
  std::string model;  // /proc/cpuinfo's "model name", or "unknown"
  unsigned logical_cores = 0;
  std::int64_t memory_bytes = 0;
};

CpuDescription describe_cpu();

}  // namespace lossbench::report
