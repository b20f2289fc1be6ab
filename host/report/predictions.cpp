#include "predictions.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "lossbench/core/error.hpp"
#include "markdown_table.hpp"

namespace lossbench::report {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& source, const std::string& where, const std::string& problem) {
  throw InputError(source + ": " + where + ": " + problem);
}

std::string string_field(const json& object, const char* name, const std::string& source, const std::string& where,
                         bool required = true) {
  const auto it = object.find(name);
  if (it == object.end()) {
    if (required) bad(source, where, std::string("missing \"") + name + "\"");
    return "";
  }
  if (!it->is_string() || (required && it->get<std::string>().empty())) {
    bad(source, where, std::string("\"") + name + "\" must be a non-empty string");
  }
  return it->get<std::string>();
}

PredictedValue predicted_value(const json& value, const std::string& source, const std::string& where) {
  if (value.is_number()) return {value.get<double>(), value.get<double>()};
  if (value.is_array() && value.size() == 2 && value[0].is_number() && value[1].is_number() &&
      value[0].get<double>() <= value[1].get<double>()) {
    return {value[0].get<double>(), value[1].get<double>()};
  }
  bad(source, where, "a predicted value must be a number or [low, high] with low <= high, got " + value.dump());
}

Prediction parse_entry(const json& entry, const std::set<std::string>& models, const std::string& source,
                       std::size_t index) {
  std::string where = "predictions[" + std::to_string(index) + "]";
  if (!entry.is_object()) bad(source, where, "must be an object");
  Prediction p;
  p.id = string_field(entry, "id", source, where);
  where += " (" + p.id + ")";
  p.what = string_field(entry, "what", source, where);
  p.perf_md_section = string_field(entry, "perf_md_section", source, where);
  p.unit = string_field(entry, "unit", source, where);
  const auto& units = known_prediction_units();
  if (std::find(units.begin(), units.end(), p.unit) == units.end()) bad(source, where, "unknown unit '" + p.unit + "'");
  const auto predicted = entry.find("predicted");
  if (predicted == entry.end() || !predicted->is_object() || predicted->empty()) {
    bad(source, where, "\"predicted\" must be an object with a value for at least one GPU model");
  }
  for (const auto& [model, value] : predicted->items()) {
    if (models.count(model) == 0) bad(source, where, "GPU model '" + model + "' is not in gpu_models");
    p.predicted[model] = predicted_value(value, source, where + ".predicted." + model);
  }
  const auto measured = entry.find("measured");
  if (measured == entry.end() || !measured->is_object()) bad(source, where, "missing \"measured\" {section, key}");
  p.section = string_field(*measured, "section", source, where + ".measured");
  p.key = string_field(*measured, "key", source, where + ".measured");
  p.note = string_field(entry, "note", source, where, false);
  p.not_measured_because = string_field(entry, "not_measured_because", source, where, false);
  return p;
}

std::string format_predicted(const PredictedValue& v) {
  return v.is_range() ? format_number(v.low, 3) + "–" + format_number(v.high, 3) : format_number(v.low, 4);
}

std::string verdict(const PredictedValue& predicted, double measured) {
  if (predicted.is_range()) {
    if (measured < predicted.low) return "below the range";
    if (measured > predicted.high) return "above the range";
    return "in range";
  }
  if (predicted.low == 0) return "";
  return "×" + format_number(measured / predicted.low, 3);
}

// Why a prediction has no measurement in `document`, in words.
std::string why_not_measured(const Prediction& p, const ReportDocument& document) {
  if (!p.not_measured_because.empty()) return p.not_measured_because;
  const SectionRecord* section = document.find(p.section);
  if (section == nullptr) return "the report has no section '" + p.section + "'";
  switch (section->status) {
    case SectionStatus::pending: return "the " + p.section + " section has not run yet";
    case SectionStatus::skipped: return "the " + p.section + " section was skipped: " + section->reason;
    case SectionStatus::timed_out: return "the " + p.section + " section timed out before measuring it";
    default: break;
  }
  if (!document.gpu) return "no GPU: the " + p.section + " section measured the CPU side only";
  std::string reason = "the " + p.section + " section has no measurement '" + p.key + "'";
  if (section->status == SectionStatus::failed) reason += " (it failed: " + section->reason + ")";
  else if (document.quick) reason += " (a --quick run measures fewer cases)";
  return reason;
}

}  // namespace

const std::vector<std::string>& known_prediction_units() {
  static const std::vector<std::string> units{"us", "percent", "GB/s", "x", "registers", "KiB", "blocks", "samples/s"};
  return units;
}

std::optional<std::string> PredictionSet::model_of(const std::string& device_name) const {
  for (const GpuModel& m : gpu_models) {
    for (const std::string& d : m.device_names) {
      if (device_name.find(d) != std::string::npos) return m.name;
    }
  }
  return std::nullopt;
}

PredictionSet parse_predictions(const std::string& text, const std::string& source) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    bad(source, "not JSON", e.what());
  }
  if (!document.is_object() || document.value("format", "") != "lossbench-predictions-1") {
    bad(source, "top level", "expected an object with \"format\": \"lossbench-predictions-1\"");
  }
  PredictionSet set;
  std::set<std::string> models;
  const auto gpu_models = document.find("gpu_models");
  if (gpu_models == document.end() || !gpu_models->is_array()) bad(source, "top level", "missing \"gpu_models\" array");
  for (std::size_t i = 0; i < gpu_models->size(); ++i) {
    const json& m = (*gpu_models)[i];
    const std::string where = "gpu_models[" + std::to_string(i) + "]";
    if (!m.is_object()) bad(source, where, "must be an object");
    GpuModel model{string_field(m, "name", source, where), {}};
    const auto names = m.find("device_names");
    if (names == m.end() || !names->is_array() || names->empty()) bad(source, where, "missing \"device_names\"");
    for (const json& n : *names) {
      if (!n.is_string() || n.get<std::string>().empty()) bad(source, where, "device_names must be non-empty strings");
      model.device_names.push_back(n.get<std::string>());
    }
    if (!models.insert(model.name).second) bad(source, where, "GPU model '" + model.name + "' listed twice");
    set.gpu_models.push_back(model);
  }
  const auto predictions = document.find("predictions");
  if (predictions == document.end() || !predictions->is_array()) bad(source, "top level", "missing \"predictions\" array");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < predictions->size(); ++i) {
    Prediction p = parse_entry((*predictions)[i], models, source, i);
    if (!ids.insert(p.id).second) bad(source, "predictions[" + std::to_string(i) + "]", "id '" + p.id + "' used twice");
    set.predictions.push_back(std::move(p));
  }
  return set;
}

PredictionSet load_predictions(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse_predictions(text.str(), file.string());
}

std::vector<PredictionComparison> compare_predictions(const PredictionSet& set, const ReportDocument& document) {
  const std::optional<std::string> model = document.gpu ? set.model_of(document.gpu_name) : std::nullopt;
  std::vector<PredictionComparison> comparisons;
  for (const Prediction& p : set.predictions) {
    PredictionComparison c{&p, std::nullopt, "", std::nullopt, "", ""};
    if (model) {
      const auto it = p.predicted.find(*model);
      if (it != p.predicted.end()) {
        c.predicted = it->second;
        c.predicted_for = *model;
      }
    }
    const SectionRecord* section = document.find(p.section);
    if (p.not_measured_because.empty() && section != nullptr) {
      const auto it = section->measurements.find(p.key);
      if (it != section->measurements.end()) c.measured = it->second;
    }
    if (!c.measured) c.not_measured_reason = why_not_measured(p, document);
    if (c.measured && c.predicted) c.verdict = verdict(*c.predicted, *c.measured);
    comparisons.push_back(c);
  }
  return comparisons;
}

void fill_predictions_record(const std::vector<PredictionComparison>& comparisons, const std::string& gpu_model,
                             SectionRecord& record) {
  std::vector<std::vector<std::string>> rows;
  nlohmann::json data = nlohmann::json::array();
  std::size_t measured = 0;
  for (const PredictionComparison& c : comparisons) {
    const Prediction& p = *c.prediction;
    std::string predicted;
    if (c.predicted) {
      predicted = format_predicted(*c.predicted);
    } else {
      // This GPU has no prediction of its own: every model's, for reference.
      for (const auto& [model, value] : p.predicted) {
        predicted += (predicted.empty() ? "" : "; ") + model + ": " + format_predicted(value);
      }
    }
    const std::string measured_cell =
        c.measured ? format_number(*c.measured, 4) : "not measured (" + c.not_measured_reason + ")";
    if (c.measured) ++measured;
    rows.push_back({p.id, p.what, p.unit, predicted, measured_cell, c.verdict});
    nlohmann::json entry;
    entry["id"] = p.id;
    entry["unit"] = p.unit;
    entry["section"] = p.section;
    entry["key"] = p.key;
    entry["predicted_for"] = c.predicted_for.empty() ? nlohmann::json() : nlohmann::json(c.predicted_for);
    entry["predicted"] = c.predicted ? nlohmann::json::array({c.predicted->low, c.predicted->high}) : nlohmann::json();
    entry["measured"] = c.measured ? nlohmann::json(*c.measured) : nlohmann::json();
    entry["not_measured_reason"] = c.not_measured_reason;
    entry["verdict"] = c.verdict;
    data.push_back(entry);
  }
  record.data = {{"gpu_model", gpu_model.empty() ? nlohmann::json() : nlohmann::json(gpu_model)},
                 {"measured", measured},
                 {"total", comparisons.size()},
                 {"comparisons", data}};
  record.markdown = std::to_string(measured) + " of " + std::to_string(comparisons.size()) +
                    " predictions of docs/PERF.md measured in this run; predicted values are for " +
                    (gpu_model.empty() ? std::string("no model of predictions.json (every model's shown)")
                                       : gpu_model) +
                    ". ×: measured / predicted.\n\n" +
                    markdown_table({"id", "what", "unit", "predicted", "measured", "measured vs predicted"}, rows);
}

}  // namespace lossbench::report
