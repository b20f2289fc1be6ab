#include "report_document.hpp"

namespace lossbench::report {

std::string_view to_string(SectionStatus status) {
  switch (status) {
    case SectionStatus::pending: return "pending";
    case SectionStatus::ok: return "ok";
    case SectionStatus::failed: return "failed";
    case SectionStatus::timed_out: return "timed out";
    case SectionStatus::skipped: return "skipped";
  }
  return "unknown";
}

SectionRecord* ReportDocument::find(std::string_view name) {
  for (SectionRecord& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const SectionRecord* ReportDocument::find(std::string_view name) const {
  return const_cast<ReportDocument*>(this)->find(name);
}

std::vector<std::string> ReportDocument::skipped_sections() const {
  std::vector<std::string> skipped;
  for (const SectionRecord& s : sections) {
    if (s.status == SectionStatus::skipped) skipped.push_back(s.name + " (" + s.reason + ")");
  }
  return skipped;
}

}  // namespace lossbench::report
