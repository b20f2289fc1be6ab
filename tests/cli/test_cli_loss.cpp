// `lossbench loss` end to end, in-process: .npy files in, JSON and .npy out,
// compared with an independent long double computation; and every kind of
// bad input exits with status 2 and a message that names the problem.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "lossbench/data/npy.hpp"

namespace lossbench {
namespace {

namespace fs = std::filesystem;

class CliLoss : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("lossbench_test_cli_" + std::string(info->name()) + "_" +
                                        std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::string write_array(const std::string& name, DType dtype, const std::vector<double>& values,
                          std::vector<std::int64_t> shape = {}) {
    npy::Array a;
    a.dtype = dtype;
    a.shape = shape.empty() ? std::vector<std::int64_t>{static_cast<std::int64_t>(values.size())} : shape;
    a.bytes.resize(values.size() * dtype_size(dtype));
    for (std::size_t i = 0; i < values.size(); ++i) store_from_double(a.bytes.data(), dtype, i, values[i]);
    npy::write(path(name), a);
    return path(name);
  }

  int run(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    return cli::run(args, out_, err_);
  }

  // Runs and expects exit status 2 with `needle` in the error message.
  void expect_bad_input(const std::vector<std::string>& args, const std::string& needle) {
    std::string command;
    for (const auto& a : args) command += a + " ";
    EXPECT_EQ(run(args), cli::kExitBadInput) << command << "\nstderr: " << err_.str();
    EXPECT_NE(err_.str().find(needle), std::string::npos)
        << command << "\nstderr: " << err_.str() << "\nexpected to contain: " << needle;
  }

  fs::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

// The seed's definitions, evaluated naively in long double: accurate for
// |z| <= 8, where ln(1 − a) loses at most ~12 of long double's 64 bits.
struct Independent {
  long double loss;
  long double grad;
};
Independent independent(const std::string& loss, long double z, long double y) {
  const long double a = 1.0L / (1.0L + std::exp(-z));
  if (loss == "bce") return {-(y * std::log(a) + (1 - y) * std::log(1 - a)), a - y};
  return {0.5L * (y - a) * (y - a), (a - y) * a * (1 - a)};
}

TEST_F(CliLoss, MatchesAnIndependentComputationOnFloat32) {
  std::mt19937_64 rng(20261124);
  std::uniform_real_distribution<double> logit(-8.0, 8.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const std::size_t n = 10007;
  std::vector<double> z(n), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    z[i] = static_cast<float>(logit(rng));
    y[i] = i % 3 == 0 ? static_cast<float>(unit(rng)) : static_cast<double>(i % 3 == 1);
  }
  const std::string zf = write_array("z.npy", DType::f32, z);
  const std::string yf = write_array("y.npy", DType::f32, y);

  for (const std::string loss : {"bce", "mse"}) {
    for (const std::string reduction : {"mean", "sum"}) {
      SCOPED_TRACE(loss + " " + reduction);
      ASSERT_EQ(run({"loss", "--loss", loss, "--reduction", reduction, "--logits", zf, "--targets", yf,
                     "--grad-out", path("g.npy")}),
                0)
          << err_.str();
      long double total = 0;
      std::vector<long double> grads(n);
      for (std::size_t i = 0; i < n; ++i) {
        const Independent r = independent(loss, z[i], y[i]);
        total += r.loss;
        grads[i] = reduction == "mean" ? r.grad / n : r.grad;
      }
      const long double expected = reduction == "mean" ? total / n : total;
      const auto json = nlohmann::json::parse(out_.str());
      EXPECT_EQ(json["n"], n);
      EXPECT_EQ(json["backend"], "ref");
      const double got = json["loss"];
      EXPECT_LE(std::fabs(got - static_cast<double>(expected)), 1e-12 * std::fabs(static_cast<double>(expected)))
          << "loss " << got << " expected " << static_cast<double>(expected);

      // The gradient file holds the exact gradient rounded once to float32:
      // within half an ulp of the exact value (plus the long double's own error).
      const npy::Array g = npy::read(path("g.npy"));
      ASSERT_EQ(g.dtype, DType::f32);
      ASSERT_EQ(g.size(), static_cast<std::int64_t>(n));
      for (std::size_t i = 0; i < n; ++i) {
        const double exact = static_cast<double>(grads[i]);
        const double half_ulp = 0.5 * std::ldexp(1.0, std::ilogb(static_cast<float>(exact)) - 23);
        const double got_g = load_as_double(g.bytes.data(), g.dtype, i);
        ASSERT_LE(std::fabs(got_g - exact), half_ulp * 1.0001) << "element " << i << " z=" << z[i] << " y=" << y[i];
      }
    }
  }
}

TEST_F(CliLoss, NoneWritesPerElementLossAndPrintsNullLoss) {
  const std::string zf = write_array("z.npy", DType::f32, {0.0, 2.0, -1.0, 3.0}, {2, 2});
  const std::string yf = write_array("y.npy", DType::f32, {1.0, 0.0, 0.5, 1.0}, {2, 2});
  ASSERT_EQ(run({"loss", "--reduction", "none", "--logits", zf, "--targets", yf, "--loss-out", path("l.npy"),
                 "--grad-out", path("g.npy")}),
            0)
      << err_.str();
  EXPECT_TRUE(nlohmann::json::parse(out_.str())["loss"].is_null());
  const npy::Array l = npy::read(path("l.npy"));
  EXPECT_EQ(l.shape, (std::vector<std::int64_t>{2, 2}));
  EXPECT_FLOAT_EQ(static_cast<float>(load_as_double(l.bytes.data(), l.dtype, 0)), std::log(2.0f));
  const npy::Array g = npy::read(path("g.npy"));
  EXPECT_EQ(load_as_double(g.bytes.data(), g.dtype, 0), -0.5);
}

TEST_F(CliLoss, Float16InputsGiveAFloat16GradientAndAScalarLossFile) {
  const std::string zf = write_array("z.npy", DType::f16, {0.0, 1.5, -2.0});
  const std::string yf = write_array("y.npy", DType::f16, {1.0, 0.0, 0.25});
  ASSERT_EQ(run({"loss", "--loss", "mse", "--reduction", "sum", "--logits", zf, "--targets", yf, "--grad-out",
                 path("g.npy"), "--loss-out", path("l.npy")}),
            0)
      << err_.str();
  const npy::Array g = npy::read(path("g.npy"));
  EXPECT_EQ(g.dtype, DType::f16);
  EXPECT_EQ(load_as_double(g.bytes.data(), g.dtype, 0), -0.125);  // (½ − 1)·¼
  const npy::Array l = npy::read(path("l.npy"));
  EXPECT_TRUE(l.shape.empty());
  EXPECT_EQ(l.size(), 1);
}

TEST_F(CliLoss, EmptyInputsGiveZeroSumAndNullMean) {
  const std::string zf = write_array("z.npy", DType::f32, {}, {0});
  const std::string yf = write_array("y.npy", DType::f32, {}, {0});
  ASSERT_EQ(run({"loss", "--reduction", "sum", "--logits", zf, "--targets", yf}), 0) << err_.str();
  EXPECT_EQ(nlohmann::json::parse(out_.str())["loss"], 0.0);
  ASSERT_EQ(run({"loss", "--reduction", "mean", "--logits", zf, "--targets", yf}), 0) << err_.str();
  EXPECT_TRUE(nlohmann::json::parse(out_.str())["loss"].is_null());  // NaN, which JSON cannot hold
}

TEST_F(CliLoss, BadInputsExitTwoWithAMessageNamingTheProblem) {
  const std::string zf = write_array("z.npy", DType::f32, {0.5, 1.0, 2.0});
  const std::string yf = write_array("y.npy", DType::f32, {1.0, 0.0, 1.0});
  const std::string y_short = write_array("y2.npy", DType::f32, {1.0, 0.0});
  const std::string y_bad = write_array("ybad.npy", DType::f32, {1.0, 1.5, 0.0});

  // A file that is not .npy, one with a dtype we do not take, one cut short.
  const std::string not_npy = path("text.npy");
  { std::ofstream(not_npy) << "z,y\n1,2\n"; }
  npy::Array f64;
  f64.shape = {3};
  f64.bytes.resize(12);
  std::vector<unsigned char> f64_file = npy::serialize(f64);
  const std::string descr_at = "'<f4'";
  const auto pos = std::search(f64_file.begin(), f64_file.end(), descr_at.begin(), descr_at.end());
  pos[3] = '8';  // '<f8' with 12 bytes of data
  const std::string f64_path = path("f64.npy");
  { std::ofstream(f64_path, std::ios::binary).write(reinterpret_cast<const char*>(f64_file.data()), static_cast<std::streamsize>(f64_file.size())); }
  std::vector<unsigned char> truncated = npy::serialize(npy::read(zf));
  truncated.resize(truncated.size() - 3);
  const std::string truncated_path = path("truncated.npy");
  { std::ofstream(truncated_path, std::ios::binary).write(reinterpret_cast<const char*>(truncated.data()), static_cast<std::streamsize>(truncated.size())); }

  expect_bad_input({"loss", "--logits", not_npy, "--targets", yf}, "not a .npy file");
  expect_bad_input({"loss", "--logits", f64_path, "--targets", yf}, "unsupported dtype '<f8'");
  expect_bad_input({"loss", "--logits", truncated_path, "--targets", yf}, "truncated .npy file");
  expect_bad_input({"loss", "--logits", zf, "--targets", y_short}, "shape (3,) but targets");
  expect_bad_input({"loss", "--logits", zf, "--targets", y_bad}, "targets[1] = 1.5");
  expect_bad_input({"loss", "--logits", path("missing.npy"), "--targets", yf}, "cannot open");
  expect_bad_input({"loss", "--loss", "hinge", "--logits", zf, "--targets", yf}, "hinge");
  expect_bad_input({"loss", "--targets", yf}, "--logits is required");
  expect_bad_input({"loss", "--logits", zf, "--targets", yf, "--backend", "tpu"}, "tpu");
  expect_bad_input({"frobnicate"}, "frobnicate");
  expect_bad_input({"verify", "--filter", "no-such-case"}, "no case matches --filter");
  expect_bad_input({"loss", "--logits", zf, "--targets", yf, "--loss", "mse", "--pos-weight", "2"},
                   "pos_weight applies to bce only");
}

TEST_F(CliLoss, NoValidateLetsOutOfRangeTargetsThrough) {
  const std::string zf = write_array("z.npy", DType::f32, {0.0});
  const std::string yf = write_array("y.npy", DType::f32, {2.0});
  ASSERT_EQ(run({"loss", "--loss", "mse", "--reduction", "sum", "--no-validate", "--logits", zf, "--targets", yf}), 0)
      << err_.str();
  EXPECT_EQ(nlohmann::json::parse(out_.str())["loss"], 0.5 * 1.5 * 1.5);
}

TEST_F(CliLoss, HelpExitsZero) {
  EXPECT_EQ(run({"--help"}), 0);
  EXPECT_NE(out_.str().find("loss"), std::string::npos);
  EXPECT_EQ(run({"loss", "--help"}), 0);
  EXPECT_NE(out_.str().find("--grad-out"), std::string::npos);
}

TEST_F(CliLoss, VerifyPrintsATableAndPasses) {
  ASSERT_EQ(run({"verify", "--backend", "emu", "--quick", "--filter", "bce/f16/mean/grad/"}), 0) << out_.str();
  EXPECT_NE(out_.str().find("bce/f16/mean/grad/off=1"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find(" 0 failed"), std::string::npos) << out_.str();
}

// Every backend that can run gives the same answer through `loss`, within
// the kernels' bound; and --in-place gives the same gradient as out of place.
TEST_F(CliLoss, BackendsAgreeAndInPlaceMatches) {
  const std::string zf = write_array("z.npy", DType::f32, {-3.0, -0.5, 0.0, 0.25, 2.0, 9.0, 1e4});
  const std::string yf = write_array("y.npy", DType::f32, {0.0, 1.0, 0.5, 1.0, 0.0, 1.0, 0.0});
  ASSERT_EQ(run({"loss", "--logits", zf, "--targets", yf, "--backend", "ref", "--grad-out", path("g_ref.npy")}), 0)
      << err_.str();
  const double ref_loss = nlohmann::json::parse(out_.str())["loss"];
  for (const std::string flag : {"", "--in-place"}) {
    std::vector<std::string> args = {"loss", "--logits", zf, "--targets", yf, "--backend", "emu",
                                     "--grad-out", path("g_emu.npy")};
    if (!flag.empty()) args.push_back(flag);
    ASSERT_EQ(run(args), 0) << err_.str();
    const auto json = nlohmann::json::parse(out_.str());
    EXPECT_EQ(json["backend"], "emu");
    EXPECT_NEAR(json["loss"].get<double>(), ref_loss, 1e-5 * ref_loss);
    const npy::Array g_ref = npy::read(path("g_ref.npy"));
    const npy::Array g_emu = npy::read(path("g_emu.npy"));
    for (std::int64_t i = 0; i < g_ref.size(); ++i) {
      const auto k = static_cast<std::size_t>(i);
      EXPECT_NEAR(load_as_double(g_emu.bytes.data(), DType::f32, k), load_as_double(g_ref.bytes.data(), DType::f32, k),
                  1e-7)
          << "element " << i << " " << flag;
    }
  }
}

TEST_F(CliLoss, BenchPrintsJsonRowsWithCountersThatAddUp) {
  ASSERT_EQ(run({"bench", "--sizes", "4096", "--repeats", "1", "--json"}), 0) << err_.str();
  const auto rows = nlohmann::json::parse(out_.str());
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) {
    const double seconds = row["seconds"];
    const double bytes = row["bytes"];
    EXPECT_GT(seconds, 0.0);
    EXPECT_NEAR(row["bytes_per_second"].get<double>(), bytes / seconds, 1e-9 * bytes / seconds);
    EXPECT_EQ(row["n"], 4096);
  }
  EXPECT_EQ(run({"bench", "--repeats", "0"}), cli::kExitBadInput);
}

TEST_F(CliLoss, Bfloat16ComputationWritesItsGradientAsFloat32) {
  const std::string zf = write_array("z.npy", DType::f32, {0.0, 1.0});
  const std::string yf = write_array("y.npy", DType::f32, {1.0, 0.0});
  ASSERT_EQ(run({"loss", "--logits", zf, "--targets", yf, "--backend", "emu", "--dtype", "bf16", "--reduction",
                 "sum", "--grad-out", path("g.npy")}),
            0)
      << err_.str();
  EXPECT_EQ(nlohmann::json::parse(out_.str())["dtype"], "bf16");
  const npy::Array g = npy::read(path("g.npy"));
  EXPECT_EQ(g.dtype, DType::f32);
  EXPECT_EQ(load_as_double(g.bytes.data(), DType::f32, 0), -0.5);
}

}  // namespace
}  // namespace lossbench
