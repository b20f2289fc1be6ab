#pragma once
// report.md and report.json from a ReportDocument, and writing both.
//
// The first line of report.md says what the report is: on a machine without
// a GPU, that there is none, why, and which sections were skipped (a reader
// who stops there knows the report has no GPU numbers). report.json carries
// the same facts as top-level fields: gpu, no_gpu_reason, skipped_sections.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "report_document.hpp"

namespace lossbench::report {

std::string render_markdown(const ReportDocument& document);
nlohmann::json render_json(const ReportDocument& document);

/// Writes DIRECTORY/report.md and DIRECTORY/report.json, each replaced whole
/// (AtomicFile): called after every section, so a run cut short leaves the
/// report as of its last finished section. Throws InputError when it cannot.
void write_report(const ReportDocument& document, const std::filesystem::path& directory);

}  // namespace lossbench::report
