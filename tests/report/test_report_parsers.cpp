// Reading back what the report's commands print and write: verify's output,
// GoogleTest's JSON, Google Benchmark's JSON, Nsight Compute's CSV,
// compute-sanitizer's summary and the training CSV by column name.
#include <gtest/gtest.h>

#include "lossbench/core/error.hpp"
#include "sections/benchmark_results.hpp"
#include "sections/csv_table.hpp"
#include "sections/gtest_results.hpp"
#include "sections/ncu_metrics.hpp"
#include "sections/sanitizer_summary.hpp"
#include "sections/verify_output.hpp"

namespace lossbench::report {
namespace {

TEST(VerifyOutput, SummaryCountsAndFailingCasesWithTheirDetails) {
  const std::string text =
      "lossbench verify on backend emu: 12 cases (10 fused loss, 2 training step), seed 1\n"
      "\nfused loss: 10 cases\n"
      "case      n  grad err  loss err  written  same  result\n"
      "bce/f32/mean/n=7/off=0        7   0.1   0.2   yes   yes  PASS\n"
      "bce/f32/mean/n=8/off=1        8   3.5   0.2   yes   yes  FAIL\n"
      "    inputs drawn from seed 1\n"
      "    grad[3]: z=1 y=0 got 0.7 want 0.73 bound 1e-6\n"
      "mse/f16/sum/n=9/off=0         9   0.1   0.2   yes   yes  PASS\n"
      "\n11 passed, 1 failed (8.25 s)\n";
  const VerifySummary v = parse_verify_output(text);
  EXPECT_EQ(v.cases, 12u);
  EXPECT_EQ(v.passed, 11u);
  EXPECT_EQ(v.failed, 1u);
  EXPECT_DOUBLE_EQ(v.seconds, 8.25);
  EXPECT_EQ(v.summary, "11 passed, 1 failed (8.25 s)");
  ASSERT_EQ(v.failures.size(), 1u);
  EXPECT_EQ(v.failures[0],
            "bce/f32/mean/n=8/off=1        8   3.5   0.2   yes   yes  FAIL\n"
            "    inputs drawn from seed 1\n"
            "    grad[3]: z=1 y=0 got 0.7 want 0.73 bound 1e-6");
}

TEST(VerifyOutput, ASweepCutShortHasNoSummary) {
  const VerifySummary v = parse_verify_output("lossbench verify on backend cuda: 99 cases (...)\nbce PASS\n");
  EXPECT_EQ(v.cases, 99u);
  EXPECT_TRUE(v.summary.empty());
}

TEST(GtestResults, CountsPassedFailedSkippedAndDisabled) {
  const nlohmann::json j = nlohmann::json::parse(R"({"tests": 4, "testsuites": [
    {"name": "GpuFusedLoss", "testsuite": [
      {"name": "Passes", "status": "RUN", "result": "COMPLETED"},
      {"name": "Fails", "status": "RUN", "result": "COMPLETED", "failures": [{"failure": "x"}]},
      {"name": "Skips", "status": "RUN", "result": "SKIPPED"},
      {"name": "DISABLED_Off", "status": "NOTRUN", "result": "SUPPRESSED"}]}]})");
  const GtestResults r = parse_gtest_json(j);
  EXPECT_EQ(r.passed, 1u);
  EXPECT_EQ(r.failed, 1u);
  EXPECT_EQ(r.skipped, 1u);
  EXPECT_EQ(r.disabled, 1u);
  EXPECT_EQ(r.failed_tests, std::vector<std::string>{"GpuFusedLoss.Fails"});
}

TEST(BenchmarkResults, MediansOfRepetitionsSingleRunsAndSpeedups) {
  const nlohmann::json j = nlohmann::json::parse(R"({
    "context": {"device_copy_bandwidth_GB_per_s": "3000.5"},
    "benchmarks": [
      {"name": "fused/bce/f32/forward_grad/mean/cold/1024/manual_time", "run_name": "fused/bce/f32/forward_grad/mean/cold/1024/manual_time",
       "run_type": "iteration", "repetitions": 5, "real_time": 1.0, "time_unit": "us"},
      {"name": "fused/bce/f32/forward_grad/mean/cold/1024/manual_time_median", "run_name": "fused/bce/f32/forward_grad/mean/cold/1024/manual_time",
       "run_type": "aggregate", "aggregate_name": "median", "real_time": 2.0, "time_unit": "us",
       "bytes_per_second": 6e9, "pct_of_peak": 0.2},
      {"name": "fused/bce/f32/forward_grad/mean/cold/1024/manual_time_mean", "run_name": "fused/bce/f32/forward_grad/mean/cold/1024/manual_time",
       "run_type": "aggregate", "aggregate_name": "mean", "real_time": 9.0, "time_unit": "us"},
      {"name": "unfused/bce/f32/forward_grad/mean/cold/1024/manual_time_median", "run_name": "unfused/bce/f32/forward_grad/mean/cold/1024/manual_time",
       "run_type": "aggregate", "aggregate_name": "median", "real_time": 0.01, "time_unit": "ms"},
      {"name": "cpu_reference/bce/f32/forward_grad/mean/4096/manual_time", "run_name": "cpu_reference/bce/f32/forward_grad/mean/4096/manual_time",
       "run_type": "iteration", "repetitions": 1, "real_time": 150000, "time_unit": "ns", "pct_of_peak": 1.4},
      {"name": "fused/mse/f32/forward/mean/cold/1024/manual_time", "run_name": "fused/mse/f32/forward/mean/cold/1024/manual_time",
       "run_type": "iteration", "error_occurred": true, "error_message": "out of memory"}]})");
  const BenchmarkResults r = parse_benchmark_json(j);
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[0].name, "fused/bce/f32/forward_grad/mean/cold/1024");
  EXPECT_DOUBLE_EQ(r.rows[0].time_us, 2.0) << "the median, not the mean or a repetition";
  EXPECT_DOUBLE_EQ(r.rows[1].time_us, 10.0);
  EXPECT_DOUBLE_EQ(r.rows[2].time_us, 150.0);
  EXPECT_EQ(r.rows[3].error, "out of memory");
  EXPECT_EQ(r.context.at("device_copy_bandwidth_GB_per_s"), "3000.5");
  const auto m = benchmark_measurements(r, {{"fused/", "unfused/", "speedup_vs_unfused/"}});
  EXPECT_DOUBLE_EQ(m.at("fused/bce/f32/forward_grad/mean/cold/1024/time_us"), 2.0);
  EXPECT_DOUBLE_EQ(m.at("fused/bce/f32/forward_grad/mean/cold/1024/GB_per_s"), 6.0);
  EXPECT_DOUBLE_EQ(m.at("fused/bce/f32/forward_grad/mean/cold/1024/pct_of_peak"), 0.2);
  EXPECT_DOUBLE_EQ(m.at("speedup_vs_unfused/bce/f32/forward_grad/mean/cold/1024"), 5.0);
  EXPECT_EQ(m.count("fused/mse/f32/forward/mean/cold/1024/time_us"), 0u) << "a case in error measures nothing";
  const std::string table = benchmark_table(r, {{"fused/", "unfused/", "speedup_vs_unfused/"}});
  EXPECT_NE(table.find("| fused/bce/f32/forward_grad/mean/cold/1024 | 2.00 µs | 6.000 | 0.200 | 5.00× |"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("error: out of memory"), std::string::npos);
}

TEST(NcuMetrics, TheFirstKernelsMetricsByNameFromQuotedCsv) {
  const std::string csv =
      "==PROF== Connected to process 42\n"
      "\"ID\",\"Process ID\",\"Process Name\",\"Host Name\",\"Kernel Name\",\"Context\",\"Stream\",\"Block Size\","
      "\"Grid Size\",\"Device\",\"CC\",\"Section Name\",\"Metric Name\",\"Metric Unit\",\"Metric Value\"\n"
      "\"0\",\"42\",\"lossbench_bench\",\"h\",\"void fused_train_step_kernel<10>(Params)\",\"1\",\"7\",\"(256, 1, 1)\","
      "\"(256, 1, 1)\",\"0\",\"9.0\",\"GPU Speed Of Light Throughput\",\"DRAM Throughput\",\"%\",\"71.25\"\n"
      "\"0\",\"42\",\"lossbench_bench\",\"h\",\"void fused_train_step_kernel<10>(Params)\",\"1\",\"7\",\"(256, 1, 1)\","
      "\"(256, 1, 1)\",\"0\",\"9.0\",\"Launch Statistics\",\"Dynamic Shared Memory Per Block\",\"byte/block\",\"63,590\"\n"
      "\"0\",\"42\",\"lossbench_bench\",\"h\",\"void fused_train_step_kernel<10>(Params)\",\"1\",\"7\",\"(256, 1, 1)\","
      "\"(256, 1, 1)\",\"0\",\"9.0\",\"Launch Statistics\",\"Registers Per Thread\",\"register/thread\",\"128\"\n"
      "\"0\",\"42\",\"lossbench_bench\",\"h\",\"void fused_train_step_kernel<10>(Params)\",\"1\",\"7\",\"(256, 1, 1)\","
      "\"(256, 1, 1)\",\"0\",\"9.0\",\"Occupancy\",\"Occupancy Limiter\",\"\",\"Registers\"\n"
      "\"1\",\"42\",\"lossbench_bench\",\"h\",\"void other_kernel()\",\"1\",\"7\",\"(256, 1, 1)\","
      "\"(256, 1, 1)\",\"0\",\"9.0\",\"Launch Statistics\",\"Registers Per Thread\",\"register/thread\",\"40\"\n";
  const NcuKernelMetrics k = parse_ncu_details_csv(csv);
  EXPECT_EQ(k.kernel, "void fused_train_step_kernel<10>(Params)");
  EXPECT_DOUBLE_EQ(k.metrics.at("DRAM Throughput").value, 71.25);
  EXPECT_EQ(k.metrics.at("DRAM Throughput").unit, "%");
  EXPECT_DOUBLE_EQ(k.metrics.at("Dynamic Shared Memory Per Block").value, 63590);
  EXPECT_DOUBLE_EQ(k.metrics.at("Registers Per Thread").value, 128) << "the first kernel's, not the second's";
  EXPECT_EQ(k.metrics.count("Occupancy Limiter"), 0u) << "not a number";
  EXPECT_TRUE(parse_ncu_details_csv("==ERROR== ERR_NVGPUCTRPERM\n").kernel.empty());
  EXPECT_EQ(split_quoted_csv_line("\"a\",\"b, c\",\"d\"\"e\""), (std::vector<std::string>{"a", "b, c", "d\"e"}));
}

TEST(SanitizerSummary, ErrorAndRacecheckSummaries) {
  const auto memcheck = parse_sanitizer_summary("========= COMPUTE-SANITIZER\nok\n========= ERROR SUMMARY: 0 errors\n");
  ASSERT_TRUE(memcheck);
  EXPECT_EQ(memcheck->errors, 0);
  EXPECT_EQ(memcheck->line, "ERROR SUMMARY: 0 errors");
  const auto racecheck =
      parse_sanitizer_summary("========= RACECHECK SUMMARY: 3 hazards displayed (2 errors, 1 warnings)\n");
  ASSERT_TRUE(racecheck);
  EXPECT_EQ(racecheck->errors, 2);
  EXPECT_EQ(parse_sanitizer_summary("========= ERROR SUMMARY: 1,234 errors\n")->errors, 1234);
  EXPECT_FALSE(parse_sanitizer_summary("========= COMPUTE-SANITIZER\nkilled\n"));
}

TEST(CsvByHeader, ColumnsByNameWhateverTheirOrderOrNumber) {
  const auto rows = parse_csv_by_header(
      "epoch,loss_function,train_loss,test_accuracy,seconds,samples_per_second,gb_per_second\n"
      "1,bce,0.5,0.8,1.5,40000.0,12.5\n2,bce,0.4,0.82,1.4,42000.0,13.0\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].at("samples_per_second"), "42000.0");
  EXPECT_EQ(rows[1].at("gb_per_second"), "13.0");
  EXPECT_THROW(parse_csv_by_header(""), InputError);
  EXPECT_THROW(parse_csv_by_header("a,b\n1,2,3\n"), InputError);
}

}  // namespace
}  // namespace lossbench::report
