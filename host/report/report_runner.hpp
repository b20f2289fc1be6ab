#pragma once
// Runs a report: the sections in order, each within its own time limit and
// what is left of the budget, the report rewritten after each.
#include <functional>
#include <ostream>

#include "executable_layout.hpp"
#include "report_document.hpp"
#include "section.hpp"

namespace lossbench::report {

/// Runs every section of report_sections() and returns the final document
/// (also written to settings.out). Progress lines go to `progress`. Never
/// throws for a section that fails; throws InputError only when the report
/// itself cannot be written.
ReportDocument run_report(const ReportSettings& settings, const ExecutableLayout& layout, std::ostream& progress,
                          const std::function<bool()>& stop_requested);

}  // namespace lossbench::report
