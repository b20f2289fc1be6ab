#include "report_runner.hpp"

#include <chrono>
#include <ctime>
#include <optional>

#include "lossbench/core/error.hpp"
#include "markdown_table.hpp"
#include "predictions.hpp"
#include "report_rendering.hpp"
#include "sections/sections.hpp"

namespace lossbench::report {
namespace {

using Clock = std::chrono::steady_clock;

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// The GPU as the machine section found it; without its answer, no GPU.
void take_gpu_from_machine(ReportDocument& document) {
  const SectionRecord* machine = document.find("machine");
  const nlohmann::json gpu = machine->data.value("gpu", nlohmann::json::object());
  document.gpu = gpu.value("available", false) && gpu.contains("name");
  document.gpu_name = gpu.value("name", "");
  if (document.gpu) return;
  if (gpu.contains("error")) {
    document.no_gpu_reason = "a GPU is there but could not be described: " + gpu["error"].get<std::string>();
  } else if (gpu.contains("reason")) {
    document.no_gpu_reason = gpu["reason"].get<std::string>();
  } else {
    document.no_gpu_reason = "the machine section did not say (" + machine->reason + ")";
  }
}

class PredictionsRefresher {
 public:
  explicit PredictionsRefresher(const ExecutableLayout& layout) {
    if (layout.predictions.empty()) {
      error_ = "predictions.json not found";
      return;
    }
    try {
      set_ = load_predictions(layout.predictions);
    } catch (const InputError& e) {
      error_ = e.what();
    }
  }

  void refresh(ReportDocument& document) const {
    SectionRecord* record = document.find("predictions");
    if (!set_) {
      record->status = SectionStatus::failed;
      record->reason = error_;
      return;
    }
    const std::optional<std::string> model = document.gpu ? set_->model_of(document.gpu_name) : std::nullopt;
    fill_predictions_record(compare_predictions(*set_, document), model.value_or(""), *record);
    record->status = SectionStatus::ok;
  }

 private:
  std::optional<PredictionSet> set_;
  std::string error_;
};

}  // namespace

ReportDocument run_report(const ReportSettings& settings, const ExecutableLayout& layout, std::ostream& progress,
                          const std::function<bool()>& stop_requested) {
  const auto start = Clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  ReportDocument document;
  document.started_at = utc_now();
  document.quick = settings.quick;
  document.budget_seconds = settings.budget_seconds;
  document.no_gpu_reason = "not known yet: the machine section has not run";
  document.layout = layout.kind + ": " + layout.lossbench.parent_path().string();
  for (const SectionDefinition& s : report_sections()) {
    SectionRecord record;
    record.name = s.name;
    record.title = s.title;
    document.sections.push_back(record);
  }
  const PredictionsRefresher predictions(layout);
  const auto write = [&] {
    document.elapsed_seconds = elapsed();
    predictions.refresh(document);
    write_report(document, settings.out);
  };
  write();

  for (const SectionDefinition& definition : report_sections()) {
    SectionRecord& record = *document.find(definition.name);
    if (!definition.run || record.status != SectionStatus::pending) continue;
    if (stop_requested && stop_requested()) {
      record.status = SectionStatus::skipped;
      record.reason = "the report was interrupted";
      continue;
    }
    const double left = settings.budget_seconds - elapsed();
    const double own_limit =
        (settings.quick ? definition.quick_limit_seconds : definition.limit_seconds) * settings.time_scale;
    const double limit = std::min(own_limit, left);
    if (limit < definition.minimum_seconds) {
      record.status = SectionStatus::skipped;
      record.reason = left < definition.minimum_seconds
                          ? "not enough of the budget left (" + format_number(std::max(left, 0.0), 2) +
                                " s; it needs " + format_number(definition.minimum_seconds, 2) + " s)"
                          : "its time limit, " + format_number(own_limit, 2) + " s, is below the " +
                                format_number(definition.minimum_seconds, 2) + " s it needs";
      write();
      continue;
    }
    record.limit_seconds = limit;
    SectionContext context(settings, layout, document, record,
                           Clock::now() + std::chrono::milliseconds(static_cast<long long>(limit * 1000)),
                           stop_requested);
    if (const std::string why = definition.unavailable ? definition.unavailable(context) : ""; !why.empty()) {
      record.status = SectionStatus::skipped;
      record.reason = why;
      write();
      continue;
    }
    progress << "report: " << definition.name << " (at most " << format_number(limit, 3) << " s)\n" << std::flush;
    const auto section_start = Clock::now();
    try {
      definition.run(context);
      if (record.status == SectionStatus::pending) record.status = SectionStatus::ok;
    } catch (const std::exception& e) {
      // A section's own bug (or a log it could not write) is its failure, not the report's.
      record.status = SectionStatus::failed;
      record.reason = std::string("the report could not run it: ") + e.what();
    }
    record.seconds = std::chrono::duration<double>(Clock::now() - section_start).count();
    if (stop_requested && stop_requested() && record.status != SectionStatus::ok &&
        record.reason.find("interrupted") == std::string::npos) {
      record.reason += record.reason.empty() ? "interrupted" : " (interrupted)";
    }
    progress << "report: " << definition.name << ": " << to_string(record.status)
             << (record.reason.empty() ? "" : " (" + record.reason + ")") << ", " << format_number(record.seconds, 3)
             << " s\n"
             << std::flush;
    if (definition.name == "machine") {
      take_gpu_from_machine(document);
      if (!document.gpu) {
        // Known now, so that a report cut short already lists them.
        for (const SectionDefinition& other : report_sections()) {
          SectionRecord& r = *document.find(other.name);
          if (other.needs_gpu && r.status == SectionStatus::pending) {
            r.status = SectionStatus::skipped;
            r.reason = "no GPU";
          }
        }
      }
    }
    write();
  }
  document.finished = true;
  write();
  return document;
}

}  // namespace lossbench::report
