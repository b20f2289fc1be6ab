#include "sections/sections.hpp"

namespace lossbench::report {

// The order is the order of importance: what the project must show first
// (the machine, correctness), then its measurements, then the optional tools.
// The budget runs out at the end, if anywhere.
const std::vector<SectionDefinition>& report_sections() {
  static const std::vector<SectionDefinition> sections{
      machine_section(),  verify_section(),      gpu_tests_section(), bench_table_section(),
      loss_bench_section(), train_step_bench_section(), train_section(), predictions_section(),
      plots_section(),    pytorch_section(),     ncu_section(),       sanitizers_section(),
  };
  return sections;
}

std::vector<std::string> report_section_names() {
  std::vector<std::string> names;
  for (const SectionDefinition& s : report_sections()) names.push_back(s.name);
  return names;
}

}  // namespace lossbench::report
