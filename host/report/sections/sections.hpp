#pragma once
// The sections of `lossbench report`, one file each, in the order they run.
#include <string>
#include <vector>

#include "section.hpp"

namespace lossbench::report {

SectionDefinition machine_section();
SectionDefinition verify_section();
SectionDefinition gpu_tests_section();
SectionDefinition bench_table_section();
SectionDefinition loss_bench_section();
SectionDefinition train_step_bench_section();
SectionDefinition train_section();
SectionDefinition predictions_section();
SectionDefinition pytorch_section();
SectionDefinition ncu_section();
SectionDefinition sanitizers_section();
SectionDefinition plots_section();

/// Every section, in the order a report runs them.
const std::vector<SectionDefinition>& report_sections();
/// Their names: what predictions.json's "measured.section" may name.
std::vector<std::string> report_section_names();

}  // namespace lossbench::report
