#pragma once
// What `lossbench` runs with no subcommand: today, the CPU reference on a
// generated batch for each loss and reduction, with its loss and time.
#include <cstdint>
#include <ostream>

namespace lossbench::cli {

struct DefaultJobOptions {
  std::int64_t size = std::int64_t{1} << 20;
  std::uint64_t seed = 1;
};

void run_default_job(const DefaultJobOptions& options, std::ostream& out);

}  // namespace lossbench::cli
