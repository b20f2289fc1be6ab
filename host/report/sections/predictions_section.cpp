// Predicted against measured: computed from the other sections (report_runner
// refreshes it after each), so it has no command of its own.
#include "sections/sections.hpp"

namespace lossbench::report {

SectionDefinition predictions_section() {
  return {"predictions", "Predicted against measured (docs/predictions.json)", 0, 0, 0, false, nullptr, nullptr};
}

}  // namespace lossbench::report
