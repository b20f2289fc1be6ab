// `lossbench train --backend cuda --epochs 2` at batch 64 and 4096, on
// Fashion-MNIST when it is installed (else the synthetic set, and the keys
// say so: a Fashion-MNIST prediction is never matched with synthetic data).
// Measurements per run, from the last epoch of its CSV (the first includes
// warm-up): <data>/batch:<B>/samples_per_second, .../test_accuracy (a
// fraction), .../train_loss.
#include "json_file.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/data/fashion_mnist.hpp"
#include "markdown_table.hpp"
#include "sections/csv_table.hpp"
#include "sections/sections.hpp"

namespace lossbench::report {
namespace {

constexpr int kEpochs = 2;
constexpr int kBatches[] = {64, 4096};

double number(const std::map<std::string, std::string>& row, const std::string& column) {
  const auto it = row.find(column);
  if (it == row.end()) throw InputError("no column '" + column + "'");
  return std::stod(it->second);
}

void run(SectionContext& ctx) {
  const bool fashion = fashion_mnist_present(kFashionMnistDefaultDirectory);
  const std::string data_name = fashion ? "fashion_mnist" : "synthetic";
  std::vector<std::vector<std::string>> table;
  nlohmann::json runs = nlohmann::json::array();
  for (const int batch : kBatches) {
    const std::string name = "train_batch" + std::to_string(batch);
    const auto csv = ctx.data_file(name + ".csv");
    std::vector<std::string> argv{ctx.layout.lossbench.string(), "train", "--backend", "cuda", "--epochs",
                                  std::to_string(kEpochs), "--batch", std::to_string(batch), "--csv", csv.string()};
    if (fashion) {
      argv.insert(argv.end(), {"--data", kFashionMnistDefaultDirectory});
    } else {
      argv.emplace_back("--synthetic");
    }
    const ProcessOutcome outcome = ctx.run(name, argv);
    if (!outcome.succeeded()) {
      ctx.record_failure("train --batch " + std::to_string(batch), outcome);
      continue;
    }
    try {
      const auto rows = parse_csv_by_header(read_text_file(csv));
      if (rows.empty()) throw InputError("no epoch in the CSV");
      const auto& last = rows.back();
      const std::string key = data_name + "/batch:" + std::to_string(batch) + "/";
      const double samples = number(last, "samples_per_second");
      const double accuracy = number(last, "test_accuracy");
      const double loss = number(last, "train_loss");
      ctx.record.measurements[key + "samples_per_second"] = samples;
      ctx.record.measurements[key + "test_accuracy"] = accuracy;
      ctx.record.measurements[key + "train_loss"] = loss;
      table.push_back({data_name, std::to_string(batch), std::to_string(rows.size()), format_number(samples, 4),
                       format_number(100 * accuracy, 4) + " %", format_number(loss, 4)});
      runs.push_back({{"batch", batch}, {"csv", "data/" + name + ".csv"}, {"epochs", rows}});
    } catch (const std::exception& e) {
      ctx.record.status = SectionStatus::failed;
      ctx.record.reason += (ctx.record.reason.empty() ? "" : "; ") + std::string("batch ") + std::to_string(batch) +
                           ": cannot read its CSV: " + e.what();
    }
  }
  ctx.record.data = {{"data", data_name}, {"epochs", kEpochs}, {"runs", runs}};
  ctx.record.markdown = "`lossbench train --backend cuda --epochs " + std::to_string(kEpochs) + " --batch B` on " +
                        (fashion ? std::string("Fashion-MNIST (") + kFashionMnistDefaultDirectory + ")"
                                 : std::string("the synthetic data set (no Fashion-MNIST in ") +
                                       kFashionMnistDefaultDirectory + ")") +
                        "; the last epoch's figures.\n\n" +
                        markdown_table({"data", "batch", "epochs", "samples/s", "test accuracy", "train loss"}, table);
}

}  // namespace

SectionDefinition train_section() {
  return {"train", "Training (lossbench train on the GPU)", 90, 45, 10, true, nullptr, run};
}

}  // namespace lossbench::report
