// docs/predictions.json: it parses, every entry names a section the report
// has, and the report's benchmark filters run every case an entry names;
// a malformed file is an error naming the entry; predictions are matched
// with measurements by key, and an unmatched one says why.
#include <gtest/gtest.h>

#include <regex>

#include "lossbench/core/error.hpp"
#include "predictions.hpp"
#include "sections/benchmark_filters.hpp"
#include "sections/sections.hpp"

namespace lossbench::report {
namespace {

const std::filesystem::path kPredictionsFile = std::filesystem::path(LOSSBENCH_SOURCE_DIR) / "docs" / "predictions.json";

TEST(PredictionsFile, ParsesAndEveryEntryNamesASectionOfTheReport) {
  const PredictionSet set = load_predictions(kPredictionsFile);
  ASSERT_GE(set.predictions.size(), 80u) << "the file has lost entries";
  const std::vector<std::string> sections = report_section_names();
  for (const Prediction& p : set.predictions) {
    EXPECT_NE(std::find(sections.begin(), sections.end(), p.section), sections.end())
        << p.id << " names section '" << p.section << "', which the report does not have";
    EXPECT_NE(p.section, "predictions") << p.id;
    EXPECT_FALSE(p.predicted.empty()) << p.id;
  }
  EXPECT_EQ(set.model_of("NVIDIA H100 80GB HBM3"), "H100 SXM");
  EXPECT_EQ(set.model_of("NVIDIA H200"), "H200");
  EXPECT_EQ(set.model_of("NVIDIA H100 PCIe"), std::nullopt) << "a PCIe H100 has other bandwidth";
}

// A benchmark measurement key is "<case>/<metric>" or a speed-up
// "<speedup prefix><rest>" of two cases; each case must be one that the
// full GPU run's filter selects (lossbench_bench appends "/manual_time").
std::vector<std::string> benchmark_cases_of(const std::string& key) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> speedups{
      {"speedup_vs_unfused/", {"fused/", "unfused/"}},
      {"softmax_ce/speedup_vs_unfused/", {"softmax_ce/fused/", "softmax_ce/unfused/"}},
      {"train_step/speedup_vs_baseline/", {"train_step/fused/", "train_step/baseline/"}}};
  for (const auto& [prefix, cases] : speedups) {
    if (key.rfind(prefix, 0) == 0) {
      std::vector<std::string> names;
      for (const std::string& c : cases) names.push_back(c + key.substr(prefix.size()));
      return names;
    }
  }
  return {key.substr(0, key.rfind('/'))};
}

TEST(PredictionsFile, TheFullGpuRunBenchmarksEveryCaseAPredictionNames) {
  const PredictionSet set = load_predictions(kPredictionsFile);
  std::size_t checked = 0;
  for (const Prediction& p : set.predictions) {
    if (!p.not_measured_because.empty()) continue;
    std::string filter;
    if (p.section == "loss_bench") filter = loss_bench_filter(true, false);
    if (p.section == "train_step_bench") filter = train_step_bench_filter(true, false);
    if (filter.empty()) continue;
    for (const std::string& name : benchmark_cases_of(p.key)) {
      EXPECT_TRUE(std::regex_search(name + "/manual_time", std::regex(filter)))
          << p.id << ": case " << name << " is not in the " << p.section << " filter " << filter;
      ++checked;
    }
  }
  EXPECT_GT(checked, 50u);
}

TEST(PredictionsFile, TheFiltersAreNarrowWhereTheyMustBe) {
  const std::regex full(loss_bench_filter(true, false));
  EXPECT_TRUE(std::regex_search("fused/bce/f32/forward_grad/mean/cold/65536/manual_time", full));
  EXPECT_FALSE(std::regex_search("fused/bce/f32/forward_grad/mean/cold/655360/manual_time", full));
  EXPECT_FALSE(std::regex_search("fused/bce/f32/in_place/mean/cold/65536/manual_time", full));
  EXPECT_TRUE(std::regex_search("softmax_ce/unfused/bf16/N=8192/V=8192/manual_time", full));
  EXPECT_TRUE(std::regex_search("softmax_ce/fused+class_weight/f32/N=8192/V=8192/manual_time", full));
  EXPECT_FALSE(std::regex_search("softmax_ce/fused+class_weight/f32/N=512/V=262144/manual_time", full));
  const std::regex quick(loss_bench_filter(true, true));
  EXPECT_TRUE(std::regex_search("softmax_ce/fused/f32/N=4096/V=32768/manual_time", quick));
  EXPECT_FALSE(std::regex_search("softmax_ce/fused/f32/N=512/V=262144/manual_time", quick));
  const std::regex cpu(loss_bench_filter(false, true));
  EXPECT_TRUE(std::regex_search("cpu_reference/bce/f32/forward_grad/mean/4096/manual_time", cpu));
  EXPECT_FALSE(std::regex_search("fused/bce/f32/forward_grad/mean/cold/4096/manual_time", cpu));
}

std::string entry(const std::string& fields) {
  return R"({"format": "lossbench-predictions-1", "gpu_models": [{"name": "H100 SXM", "device_names": ["H100 80GB"]}],
            "predictions": [)" +
         fields + "]}";
}
const std::string kGood =
    R"({"id": "a", "what": "w", "perf_md_section": "s", "unit": "us", "predicted": {"H100 SXM": 10},
        "measured": {"section": "loss_bench", "key": "k"}})";

void expect_bad(const std::string& text, const std::string& needle) {
  try {
    parse_predictions(text, "p.json");
    ADD_FAILURE() << "accepted: " << text;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what() << "\nexpected: " << needle;
  }
}

TEST(PredictionsParsing, AMalformedFileIsAnErrorNamingTheEntry) {
  EXPECT_NO_THROW(parse_predictions(entry(kGood), "p.json"));
  expect_bad("{", "p.json: not JSON");
  expect_bad(entry(kGood + "," + kGood), "id 'a' used twice");
  std::string bad_unit = kGood;
  bad_unit.replace(bad_unit.find("\"us\""), 4, "\"parsecs\"");
  expect_bad(entry(bad_unit), "predictions[0] (a): unknown unit 'parsecs'");
  std::string bad_model = kGood;
  bad_model.replace(bad_model.find("H100 SXM"), 8, "H900");
  expect_bad(entry(bad_model), "GPU model 'H900' is not in gpu_models");
  std::string bad_range = kGood;
  bad_range.replace(bad_range.find(": 10}"), 5, ": [5, 2]}");
  expect_bad(entry(bad_range), "[low, high] with low <= high");
  std::string no_section = kGood;
  no_section.replace(no_section.find("\"section\": \"loss_bench\", "), 24, "");
  expect_bad(entry(no_section), "missing \"section\"");
}

ReportDocument document_with(SectionStatus loss_bench_status, std::map<std::string, double> measurements) {
  ReportDocument d;
  d.gpu = true;
  d.gpu_name = "NVIDIA H100 80GB HBM3";
  SectionRecord loss;
  loss.name = "loss_bench";
  loss.title = "b";
  loss.status = loss_bench_status;
  loss.reason = loss_bench_status == SectionStatus::skipped ? "ncu is not on PATH" : "";
  loss.measurements = std::move(measurements);
  d.sections = {loss};
  return d;
}

TEST(PredictionMatching, AMeasurementIsFoundByKeyAndComparedWithThisGpusPrediction) {
  const PredictionSet set = parse_predictions(
      entry(kGood + R"(, {"id": "r", "what": "w", "perf_md_section": "s", "unit": "x", "predicted": {"H100 SXM": [1.5, 2.5]},
                         "measured": {"section": "loss_bench", "key": "ratio"}})"),
      "p.json");
  const auto c = compare_predictions(set, document_with(SectionStatus::ok, {{"k", 12.0}, {"ratio", 3.0}}));
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].measured, 12.0);
  EXPECT_EQ(c[0].predicted_for, "H100 SXM");
  EXPECT_EQ(c[0].verdict, "×1.20");
  EXPECT_EQ(c[1].verdict, "above the range");
  SectionRecord record;
  fill_predictions_record(c, "H100 SXM", record);
  EXPECT_NE(record.markdown.find("| a | w | us | 10.00 | 12.00 | ×1.20 |"), std::string::npos) << record.markdown;
  EXPECT_EQ(record.data["measured"], 2);
}

TEST(PredictionMatching, AnUnmatchedPredictionSaysWhy) {
  const PredictionSet set = parse_predictions(entry(kGood), "p.json");
  EXPECT_EQ(compare_predictions(set, document_with(SectionStatus::skipped, {}))[0].not_measured_reason,
            "the loss_bench section was skipped: ncu is not on PATH");
  EXPECT_EQ(compare_predictions(set, document_with(SectionStatus::pending, {}))[0].not_measured_reason,
            "the loss_bench section has not run yet");
  EXPECT_EQ(compare_predictions(set, document_with(SectionStatus::ok, {{"other", 1}}))[0].not_measured_reason,
            "the loss_bench section has no measurement 'k'");
  ReportDocument no_gpu = document_with(SectionStatus::ok, {{"cpu_reference/x", 1}});
  no_gpu.gpu = false;
  EXPECT_EQ(compare_predictions(set, no_gpu)[0].not_measured_reason,
            "no GPU: the loss_bench section measured the CPU side only");
  ReportDocument other_gpu = document_with(SectionStatus::ok, {{"k", 12.0}});
  other_gpu.gpu_name = "NVIDIA A100-SXM4-40GB";
  const auto c = compare_predictions(set, other_gpu)[0];
  EXPECT_EQ(c.measured, 12.0);
  EXPECT_FALSE(c.predicted) << "no prediction for a GPU model the file does not list";
  SectionRecord record;
  fill_predictions_record({c}, "", record);
  EXPECT_NE(record.markdown.find("| H100 SXM: 10.00 | 12.00 |"), std::string::npos) << record.markdown;
}

}  // namespace
}  // namespace lossbench::report
