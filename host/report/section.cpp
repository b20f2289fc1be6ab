#include "section.hpp"

#include <algorithm>
#include <system_error>

namespace lossbench::report {

double SectionContext::seconds_left() const {
  return std::chrono::duration<double>(deadline_ - Clock::now()).count();
}

ProcessOutcome SectionContext::run(const std::string& log_name, const std::vector<std::string>& argv,
                                   const std::vector<std::pair<std::string, std::string>>& environment,
                                   double limit_seconds) {
  const std::string log = "logs/" + log_name + ".log";
  record.logs.push_back(log);
  ProcessSpec spec;
  spec.argv = argv;
  spec.environment = environment;
  spec.log = settings.out / log;
  std::error_code ignored;  // an error here shows as the log's own, naming the file
  std::filesystem::create_directories(spec.log.parent_path(), ignored);
  const double seconds = std::max(0.0, std::min(limit_seconds, seconds_left()));
  spec.time_limit = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  return run_process(spec, stop_requested_);
}

std::filesystem::path SectionContext::data_file(const std::string& name) const {
  const std::filesystem::path file = settings.out / "data" / name;
  std::error_code ignored;
  std::filesystem::create_directories(file.parent_path(), ignored);
  std::filesystem::remove(file, ignored);
  return file;
}

void SectionContext::record_failure(const std::string& what, const ProcessOutcome& outcome) {
  const bool timed_out = outcome.end == ProcessEnd::timed_out;
  if (record.status != SectionStatus::timed_out) {
    record.status = timed_out ? SectionStatus::timed_out : SectionStatus::failed;
  }
  const std::string reason = what + ": " + outcome.describe();
  record.reason += (record.reason.empty() ? "" : "; ") + reason;
  if (!outcome.output_tail.empty()) {
    record.output_tail += (record.output_tail.empty() ? "" : "\n") + ("[" + what + "]\n") + outcome.output_tail;
  }
}

}  // namespace lossbench::report
