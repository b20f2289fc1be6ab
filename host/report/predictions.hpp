#pragma once
// The predictions of docs/PERF.md as data (docs/predictions.json, installed
// as share/lossbench/predictions.json), and their comparison with what a
// report measured.
//
// The file: {"format": "lossbench-predictions-1", "gpu_models": [{"name":
// "H100 SXM", "device_names": ["H100 80GB HBM3", ...]}, ...], "predictions":
// [entry, ...]}, each entry {"id", "what", "perf_md_section", "unit",
// "predicted": {"<gpu model>": number or [low, high]}, "measured":
// {"section": "<report section>", "key": "<that section's measurement>"},
// optional "note" and "not_measured_because"}.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report_document.hpp"

namespace lossbench::report {

/// A predicted value: a number (low == high) or a range.
struct PredictedValue {
  double low = 0;
  double high = 0;
  bool is_range() const { return low != high; }
};

struct Prediction {
  std::string id;
  std::string what;
  std::string perf_md_section;
  std::string unit;
  std::map<std::string, PredictedValue> predicted;  // by GPU model name
  std::string section;                             // where the measured value comes from
  std::string key;
  std::string note;
  std::string not_measured_because;
};

struct GpuModel {
  std::string name;
  std::vector<std::string> device_names;  // substrings of the CUDA device name
};

struct PredictionSet {
  std::vector<GpuModel> gpu_models;
  std::vector<Prediction> predictions;
  /// The model whose device names match `device_name` (first match), if any.
  std::optional<std::string> model_of(const std::string& device_name) const;
};

/// Parses and checks a predictions file: every field present and typed,
/// ids unique, units known, every predicted model listed in gpu_models.
/// Throws InputError naming the file, the entry and the problem.
PredictionSet load_predictions(const std::filesystem::path& file);
PredictionSet parse_predictions(const std::string& text, const std::string& source_name);

/// The units a prediction may have.
const std::vector<std::string>& known_prediction_units();

/// One prediction beside its measurement in a report.
struct PredictionComparison {
  const Prediction* prediction;
  std::optional<PredictedValue> predicted;  // for this report's GPU model
  std::string predicted_for;                // the model it is for, or "" when this GPU has none
  std::optional<double> measured;
  std::string not_measured_reason;  // when !measured
  /// measured / predicted for a number; for a range, "in range", "below", "above".
  std::string verdict;
};

/// Compares every prediction with `document`'s measurements, for the GPU
/// model that `document.gpu_name` matches.
std::vector<PredictionComparison> compare_predictions(const PredictionSet& set, const ReportDocument& document);

/// The predictions section's body (a table) and data, from the comparisons.
void fill_predictions_record(const std::vector<PredictionComparison>& comparisons, const std::string& gpu_model,
                             SectionRecord& record);

}  // namespace lossbench::report
