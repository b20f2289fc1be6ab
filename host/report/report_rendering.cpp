#include "report_rendering.hpp"

#include "lossbench/data/atomic_file.hpp"
#include "markdown_table.hpp"

namespace lossbench::report {
namespace {

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (const std::string& p : parts) text += (text.empty() ? "" : separator) + p;
  return text;
}

std::string first_line(const ReportDocument& d) {
  if (!d.gpu) {
    const std::vector<std::string> skipped = d.skipped_sections();
    return "**No GPU**: " + d.no_gpu_reason + ". This report has the CPU side only; skipped sections: " +
           (skipped.empty() ? "none" : join(skipped, ", ")) + ".";
  }
  return "# lossbench report: " + d.gpu_name;
}

std::string status_cell(const SectionRecord& s) {
  std::string text(to_string(s.status));
  if (!s.reason.empty()) text += ": " + s.reason;
  return text;
}

std::string section_markdown(const SectionRecord& s) {
  std::string text = "\n## " + s.title + "\n\n";
  text += "Status: **" + std::string(to_string(s.status)) + "**";
  if (!s.reason.empty()) text += " (" + s.reason + ")";
  // A section computed from the others (limit 0) has no time of its own.
  if (s.status != SectionStatus::pending && s.status != SectionStatus::skipped && s.limit_seconds > 0) {
    text += ", " + format_number(s.seconds, 3) + " s of its " + format_number(s.limit_seconds, 3) + " s limit";
  }
  text += ".";
  if (!s.logs.empty()) {
    std::vector<std::string> links;
    for (const std::string& log : s.logs) links.push_back("[" + log + "](" + log + ")");
    text += " Logs: " + join(links, ", ") + ".";
  }
  text += "\n";
  if (!s.markdown.empty()) text += "\n" + s.markdown + (s.markdown.back() == '\n' ? "" : "\n");
  if (!s.output_tail.empty()) {
    text += "\nLast lines of the output:\n\n```\n" + s.output_tail + (s.output_tail.back() == '\n' ? "" : "\n") +
            "```\n";
  }
  return text;
}

}  // namespace

std::string render_markdown(const ReportDocument& d) {
  std::string text = first_line(d) + "\n\n";
  if (!d.gpu) text += "# lossbench report (no GPU)\n\n";
  text += "Started " + d.started_at + "; " + (d.quick ? "quick" : "full") + " run, budget " +
          format_number(d.budget_seconds, 3) + " s, " + format_number(d.elapsed_seconds, 3) + " s so far" +
          (d.finished ? " (finished)" : " (still running, or cut short)") + ". Programs: " + d.layout + ".\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const SectionRecord& s : d.sections) {
    const bool ran = s.status != SectionStatus::pending && s.status != SectionStatus::skipped;
    rows.push_back({s.name, status_cell(s), ran ? format_number(s.seconds, 3) + " s" : "-"});
  }
  text += markdown_table({"section", "status", "time"}, rows);
  for (const SectionRecord& s : d.sections) text += section_markdown(s);
  return text;
}

nlohmann::json render_json(const ReportDocument& d) {
  nlohmann::json j;
  j["format"] = "lossbench-report-1";
  j["gpu"] = d.gpu;
  j["gpu_name"] = d.gpu ? nlohmann::json(d.gpu_name) : nlohmann::json();
  j["no_gpu_reason"] = d.gpu ? nlohmann::json() : nlohmann::json(d.no_gpu_reason);
  j["skipped_sections"] = nlohmann::json::array();
  for (const SectionRecord& s : d.sections) {
    if (s.status == SectionStatus::skipped) j["skipped_sections"].push_back({{"name", s.name}, {"reason", s.reason}});
  }
  j["started_at"] = d.started_at;
  j["quick"] = d.quick;
  j["budget_seconds"] = d.budget_seconds;
  j["elapsed_seconds"] = d.elapsed_seconds;
  j["finished"] = d.finished;
  j["programs"] = d.layout;
  j["section_order"] = nlohmann::json::array();
  j["sections"] = nlohmann::json::object();
  for (const SectionRecord& s : d.sections) {
    j["section_order"].push_back(s.name);
    nlohmann::json section;
    section["title"] = s.title;
    section["status"] = std::string(to_string(s.status));
    section["reason"] = s.reason;
    section["seconds"] = s.seconds;
    section["limit_seconds"] = s.limit_seconds;
    section["logs"] = s.logs;
    section["output_tail"] = s.output_tail;
    section["data"] = s.data;
    section["measurements"] = s.measurements;
    j["sections"][s.name] = section;
  }
  return j;
}

void write_report(const ReportDocument& document, const std::filesystem::path& directory) {
  // Both finished before either is renamed, as `lossbench loss` does, so the
  // two files rarely disagree.
  AtomicFile markdown(directory / "report.md");
  markdown.write(render_markdown(document));
  AtomicFile json(directory / "report.json");
  json.write(render_json(document).dump(2) + "\n");
  markdown.finish();
  json.finish();
  markdown.commit();
  json.commit();
}

}  // namespace lossbench::report
