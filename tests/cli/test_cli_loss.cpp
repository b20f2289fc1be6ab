// `lossbench loss` end to end, in-process: .npy files in, JSON and .npy out,
// compared with an independent long double computation; float64 and
// big-endian inputs converted to --dtype; outputs replaced whole or not at
// all; and every kind of bad input exits with status 2 and a message that
// names the problem.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../data/file_size_limit.hpp"
#include "cli.hpp"
#include "command_loss.hpp"
#include "loss_cli_fixture.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/data/npy.hpp"

namespace lossbench {
namespace {

namespace fs = std::filesystem;

class CliLoss : public testing::LossCliFixture {
 protected:
  // A float64 file, as np.save() writes np.random.randn(n), or big-endian ('>f8').
  std::string write_f64(const std::string& name, const std::vector<double>& values,
                        npy::ByteOrder order = npy::ByteOrder::little, std::vector<std::int64_t> shape = {}) {
    npy::Array a;
    a.type = npy::ElementType::f64;
    a.byte_order = order;
    a.shape = shape_of(values.size(), shape);
    for (const double v : values) {
      auto b = std::bit_cast<std::array<unsigned char, 8>>(v);
      if (order == npy::ByteOrder::big) std::reverse(b.begin(), b.end());
      a.bytes.insert(a.bytes.end(), b.begin(), b.end());
    }
    npy::write(path(name), a);
    return path(name);
  }
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
      EXPECT_EQ(json["input_dtype"], (nlohmann::json{{"logits", "f32"}, {"targets", "f32"}}));
      const npy::Array g = npy::read(path("g.npy"));
      ASSERT_EQ(g.type, npy::ElementType::f32);
      ASSERT_EQ(g.size(), static_cast<std::int64_t>(n));
      for (std::size_t i = 0; i < n; ++i) {
        const double exact = static_cast<double>(grads[i]);
        const double half_ulp = 0.5 * std::ldexp(1.0, std::ilogb(static_cast<float>(exact)) - 23);
        const double got_g = npy::load_as_double(g, i);
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
  EXPECT_FLOAT_EQ(static_cast<float>(npy::load_as_double(l, 0)), std::log(2.0f));
  const npy::Array g = npy::read(path("g.npy"));
  EXPECT_EQ(npy::load_as_double(g, 0), -0.5);
}

TEST_F(CliLoss, Float16InputsGiveAFloat16GradientAndAScalarLossFile) {
  const std::string zf = write_array("z.npy", DType::f16, {0.0, 1.5, -2.0});
  const std::string yf = write_array("y.npy", DType::f16, {1.0, 0.0, 0.25});
  ASSERT_EQ(run({"loss", "--loss", "mse", "--reduction", "sum", "--logits", zf, "--targets", yf, "--grad-out",
                 path("g.npy"), "--loss-out", path("l.npy")}),
            0)
      << err_.str();
  const auto json = nlohmann::json::parse(out_.str());
  EXPECT_EQ(json["dtype"], "f16");
  EXPECT_EQ(json["input_dtype"], (nlohmann::json{{"logits", "f16"}, {"targets", "f16"}}));
  const npy::Array g = npy::read(path("g.npy"));
  EXPECT_EQ(g.type, npy::ElementType::f16);
  EXPECT_EQ(npy::load_as_double(g, 0), -0.125);  // (½ − 1)·¼
  // The reduced loss as a 0-d float64 array: the printed double, exactly.
  const npy::Array l = npy::read(path("l.npy"));
  EXPECT_TRUE(l.shape.empty());
  EXPECT_EQ(l.type, npy::ElementType::f64);
  ASSERT_EQ(l.size(), 1);
  EXPECT_EQ(npy::load_as_double(l, 0), json["loss"].get<double>());
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

  // A file that is not .npy, integers where floats are expected, one cut short.
  const std::string not_npy = path("text.npy");
  { std::ofstream(not_npy) << "z,y\n1,2\n"; }
  npy::Array i4;
  i4.shape = {3};
  i4.bytes.resize(12);
  std::vector<unsigned char> i4_file = npy::serialize(i4);
  const std::string descr_at = "'<f4'";
  const auto pos = std::search(i4_file.begin(), i4_file.end(), descr_at.begin(), descr_at.end());
  pos[2] = 'i';  // '<i4': int32
  const std::string i4_path = path("i4.npy");
  { std::ofstream(i4_path, std::ios::binary).write(reinterpret_cast<const char*>(i4_file.data()), static_cast<std::streamsize>(i4_file.size())); }
  std::vector<unsigned char> truncated = npy::serialize(npy::read(zf));
  truncated.resize(truncated.size() - 3);
  const std::string truncated_path = path("truncated.npy");
  { std::ofstream(truncated_path, std::ios::binary).write(reinterpret_cast<const char*>(truncated.data()), static_cast<std::streamsize>(truncated.size())); }

  expect_bad_input({"loss", "--logits", not_npy, "--targets", yf}, "not a .npy file");
  expect_bad_input({"loss", "--logits", i4_path, "--targets", yf},
                   i4_path + ": holds i32 integers where floats are expected");
  expect_bad_input({"loss", "--logits", zf, "--targets", i4_path}, i4_path + ": holds i32 integers");
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

// --activation identity: MSE on the raw output, a regression head. Targets
// are any number; the values are half PyTorch's mse_loss (see
// fused_loss.hpp): F.mse_loss(z, y, reduction='sum') of z = [1.5, -2, 4, 0],
// y = [0.5, 3, -60, 0] is 1 + 25 + 4096 + 0 = 4122, its gradient 2(z − y)
// = [2, -10, 128, 0] (checked with torch 2.15.0, float64, CPU, 2026-12-07).
TEST_F(CliLoss, IdentityMseIsHalfOfPyTorchsMseLossOnEveryBackend) {
  const std::string zf = write_array("z.npy", DType::f32, {1.5, -2.0, 4.0, 0.0}, {2, 2});
  const std::string yf = write_array("y.npy", DType::f32, {0.5, 3.0, -60.0, 0.0}, {2, 2});
  for (const std::string backend : {"ref", "emu", "cpu"}) {
    SCOPED_TRACE(backend);
    ASSERT_EQ(run({"loss", "--loss", "mse", "--activation", "identity", "--reduction", "sum", "--logits", zf,
                   "--targets", yf, "--backend", backend, "--grad-out", path("g.npy")}),
              0)
        << err_.str();
    const auto json = nlohmann::json::parse(out_.str());
    EXPECT_EQ(json["activation"], "identity");
    EXPECT_EQ(2.0 * json["loss"].get<double>(), 4122.0);
    const npy::Array g = npy::read(path("g.npy"));
    EXPECT_EQ(g.shape, (std::vector<std::int64_t>{2, 2}));
    const double torch_grad[] = {2.0, -10.0, 128.0, 0.0};
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(2.0 * npy::load_as_double(g, i), torch_grad[i]) << i;
  }
  // The sigmoid's range check is not applied to a regression target; NaN still is.
  const std::string y_nan = write_array("ynan.npy", DType::f32, {0.5, NAN, 0.0, 1.0}, {2, 2});
  expect_bad_input({"loss", "--loss", "mse", "--activation", "identity", "--logits", zf, "--targets", y_nan},
                   "targets[1] is NaN");
  expect_bad_input({"loss", "--loss", "mse", "--logits", zf, "--targets", yf}, "targets[1] = 3");
  expect_bad_input({"loss", "--loss", "bce", "--activation", "identity", "--logits", zf, "--targets", yf},
                   "activation identity applies to mse only");
  expect_bad_input({"loss", "--loss", "softmax-ce", "--activation", "identity", "--logits", zf, "--targets", yf},
                   "--activation applies to --loss mse only");
  expect_bad_input({"loss", "--loss", "mse", "--activation", "relu", "--logits", zf, "--targets", yf}, "relu");
}

// --weight and --pos-weight p.npy broadcast over the logits as PyTorch's
// weight and pos_weight do; the values are those of
// HostFusedLossApi.WeightAndPosWeightBroadcastAsPyTorchOnEveryBackend
// (F.binary_cross_entropy_with_logits(z, y, weight=w, pos_weight=p), checked
// with torch 2.15.0 in float64 on CPU, 2026-12-07).
TEST_F(CliLoss, WeightAndPosWeightFilesBroadcastAndBadShapesNameTheFile) {
  const std::string zf = write_array("z.npy", DType::f32, {0.5, -1.0, 2.0, -0.25, 3.0, 0.0}, {2, 3});
  const std::string yf = write_array("y.npy", DType::f32, {1.0, 0.0, 1.0, 0.5, 0.0, 1.0}, {2, 3});
  const std::string wf = write_array("w.npy", DType::f32, {2.0, 0.5}, {2, 1});
  const std::string pf = write_array("p.npy", DType::f32, {3.0, 1.0, 0.25}, {3});
  for (const std::string backend : {"ref", "emu", "cpu"}) {
    ASSERT_EQ(run({"loss", "--logits", zf, "--targets", yf, "--weight", wf, "--pos-weight", pf, "--backend",
                   backend, "--grad-out", path("g.npy")}),
              0)
        << err_.str();
    EXPECT_NEAR(nlohmann::json::parse(out_.str())["loss"].get<double>(), 0.9848042964790468, 1e-6) << backend;
    EXPECT_NEAR(npy::load_as_double(npy::read(path("g.npy")), 0), -0.37754066879814535, 1e-7) << backend;
  }
  // A scalar --pos-weight is still a number.
  ASSERT_EQ(run({"loss", "--logits", zf, "--targets", yf, "--pos-weight", "2.5"}), 0) << err_.str();
  const std::string p_wrong = write_array("p4.npy", DType::f32, {1.0, 1.0, 1.0, 1.0}, {4});
  const std::string w_wrong = write_array("w3.npy", DType::f32, {1.0, 1.0, 1.0}, {3, 1});
  expect_bad_input({"loss", "--logits", zf, "--targets", yf, "--pos-weight", p_wrong},
                   p_wrong + ": pos_weight of shape (4,) does not broadcast to the input's shape (2, 3): axis 0 "
                             "has 4 where the input has 3 (expected 3 or 1)");
  expect_bad_input({"loss", "--logits", zf, "--targets", yf, "--weight", w_wrong},
                   w_wrong + ": the weight of shape (3, 1) does not broadcast to the input's shape (2, 3)");
  expect_bad_input({"loss", "--loss", "mse", "--logits", zf, "--targets", yf, "--pos-weight", pf},
                   "pos_weights applies to bce only");
  expect_bad_input({"loss", "--logits", zf, "--targets", yf, "--pos-weight", path("missing.npy")}, "cannot open");
  expect_bad_input({"loss", "--loss", "softmax-ce", "--logits", zf, "--targets", yf, "--weight", wf},
                   "--weight applies to --loss bce or mse only");
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
  for (const std::string backend : {"emu", "cpu"}) {
    for (const std::string flag : {"", "--in-place"}) {
      std::vector<std::string> args = {"loss", "--logits", zf, "--targets", yf, "--backend", backend,
                                       "--grad-out", path("g.npy")};
      if (!flag.empty()) args.push_back(flag);
      ASSERT_EQ(run(args), 0) << backend << " " << flag << ": " << err_.str();
      const auto json = nlohmann::json::parse(out_.str());
      EXPECT_EQ(json["backend"], backend);
      EXPECT_NEAR(json["loss"].get<double>(), ref_loss, 1e-5 * ref_loss) << backend << " " << flag;
      const npy::Array g_ref = npy::read(path("g_ref.npy"));
      const npy::Array g = npy::read(path("g.npy"));
      for (std::int64_t i = 0; i < g_ref.size(); ++i) {
        const auto k = static_cast<std::size_t>(i);
        EXPECT_NEAR(npy::load_as_double(g, k), npy::load_as_double(g_ref, k), 1e-7)
            << "element " << i << " " << backend << " " << flag;
      }
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
  EXPECT_EQ(g.type, npy::ElementType::f32);
  EXPECT_EQ(npy::load_as_double(g, 0), -0.5);
}

// --repeats R runs the fused call R times after a warm-up: the JSON gives the
// median as time_ms and {min, median} as times_ms, and the outputs are those
// of one call, in place too (where every call must start from the logits
// again, not from the previous call's gradient written over them).
TEST_F(CliLoss, RepeatsTimeTheCallAndKeepTheOutputsOfOne) {
  const std::string zf = write_array("z.npy", DType::f32, {-3.0, -0.5, 0.0, 0.25, 2.0, 9.0, 1e4, 0.75, -1.5});
  const std::string yf = write_array("y.npy", DType::f32, {0.0, 1.0, 0.5, 1.0, 0.0, 1.0, 0.0, 0.25, 1.0});
  for (const std::string backend : {"ref", "emu"}) {
    for (const std::string flag : {"", "--in-place"}) {
      SCOPED_TRACE(backend + " " + flag);
      nlohmann::json json[2];
      std::string grad[2];
      std::string loss_file[2];
      for (const int repeats : {1, 3}) {
        const int k = repeats == 1 ? 0 : 1;
        std::vector<std::string> args = {"loss", "--logits", zf, "--targets", yf, "--backend", backend,
                                         "--grad-out", path("g.npy"), "--loss-out", path("l.npy"),
                                         "--repeats", std::to_string(repeats)};
        if (!flag.empty()) args.push_back(flag);
        ASSERT_EQ(run(args), 0) << err_.str();
        json[k] = nlohmann::json::parse(out_.str());
        grad[k] = contents("g.npy");
        loss_file[k] = contents("l.npy");
        EXPECT_EQ(json[k]["repeats"], repeats);
        ASSERT_TRUE(json[k]["time_ms"].is_number()) << out_.str();
        ASSERT_TRUE(json[k]["times_ms"]["min"].is_number()) << out_.str();
        ASSERT_TRUE(json[k]["times_ms"]["median"].is_number()) << out_.str();
        EXPECT_EQ(json[k]["time_ms"], json[k]["times_ms"]["median"]);
        EXPECT_GE(json[k]["times_ms"]["min"].get<double>(), 0.0);
        EXPECT_LE(json[k]["times_ms"]["min"].get<double>(), json[k]["time_ms"].get<double>());
      }
      EXPECT_EQ(json[0]["times_ms"]["min"], json[0]["times_ms"]["median"]);  // one call: one time
      EXPECT_EQ(json[1]["loss"], json[0]["loss"]);
      EXPECT_EQ(grad[1], grad[0]);
      EXPECT_EQ(loss_file[1], loss_file[0]);
    }
  }
  expect_bad_input({"loss", "--logits", zf, "--targets", yf, "--repeats", "0"}, "--repeats");
  expect_bad_input({"loss", "--logits", zf, "--targets", yf, "--repeats", "-2"}, "--repeats");
  expect_bad_input({"loss", "--logits", zf, "--targets", yf, "--repeats", "many"}, "--repeats");
  cli::LossCommandOptions options;  // the in-process API refuses it too
  options.logits_path = zf;
  options.targets_path = yf;
  options.repeats = 0;
  std::ostringstream ignored;
  EXPECT_THROW(cli::run_loss_command(options, ignored), InputError);
}

// np.save() writes float64 by default. Such files, and big-endian ones, are
// converted to --dtype before any backend sees them: the same run on files
// that already hold the converted values gives the same bits.
TEST_F(CliLoss, Float64AndBigEndianInputsAreConvertedToTheComputeDtypeForEveryBackend) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 3.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const std::size_t n = 257;
  std::vector<double> z(n), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    z[i] = normal(rng);  // not representable in float32: conversion rounds
    y[i] = unit(rng);
  }
  const std::string z64 = write_f64("z64.npy", z);
  const std::string y64 = write_f64("y64.npy", y, npy::ByteOrder::big);
  for (const std::string dtype : {"f32", "f16"}) {
    const DType d = parse_dtype(dtype);
    const std::string z_conv = write_array("z_" + dtype + ".npy", d, z);  // rounded once, from the double
    const std::string y_conv = write_array("y_" + dtype + ".npy", d, y);
    for (const std::string backend : {"ref", "emu"}) {
      SCOPED_TRACE(dtype + " " + backend);
      // The default --dtype for float64 logits is f32.
      std::vector<std::string> args = {"loss", "--loss", "bce", "--reduction", "sum", "--backend", backend,
                                       "--logits", z64, "--targets", y64, "--grad-out", path("g64.npy")};
      if (dtype != "f32") args.insert(args.end(), {"--dtype", dtype});
      ASSERT_EQ(run(args), 0) << err_.str();
      const auto json64 = nlohmann::json::parse(out_.str());
      EXPECT_EQ(json64["dtype"], dtype);
      EXPECT_EQ(json64["input_dtype"], (nlohmann::json{{"logits", "f64"}, {"targets", "f64"}}));

      ASSERT_EQ(run({"loss", "--loss", "bce", "--reduction", "sum", "--backend", backend, "--logits", z_conv,
                     "--targets", y_conv, "--grad-out", path("g.npy")}),
                0)
          << err_.str();
      const auto json = nlohmann::json::parse(out_.str());
      EXPECT_EQ(json["input_dtype"], (nlohmann::json{{"logits", dtype}, {"targets", dtype}}));
      EXPECT_EQ(json64["loss"].get<double>(), json["loss"].get<double>());
      EXPECT_EQ(contents("g64.npy"), contents("g.npy"));
    }
  }
  // Logits and targets may differ: float64 logits with float32 targets.
  const std::string y32 = write_array("y32.npy", DType::f32, y);
  ASSERT_EQ(run({"loss", "--logits", z64, "--targets", y32}), 0) << err_.str();
  EXPECT_EQ(nlohmann::json::parse(out_.str())["input_dtype"],
            (nlohmann::json{{"logits", "f64"}, {"targets", "f32"}}));
}

TEST_F(CliLoss, AFiniteInputThatOverflowsTheDtypeIsAnErrorUnlessNoValidate) {
  const std::string zf = write_f64("z.npy", {0.0, 1e39, -2.0});
  const std::string yf = write_f64("y.npy", {1.0, 1.0, 0.0});
  expect_bad_input({"loss", "--logits", zf, "--targets", yf},
                   zf + ": element 1 = 1e+39 does not fit in f32: it would round to inf (--no-validate");
  const std::string z_half = write_f64("zh.npy", {0.0, 7e4, -2.0});
  expect_bad_input({"loss", "--logits", z_half, "--targets", yf, "--dtype", "f16"},
                   z_half + ": element 1 = 70000 does not fit in f16");
  const std::string y_big = write_f64("ybig.npy", {0.0, 0.0, -1e300});
  expect_bad_input({"loss", "--logits", write_f64("z0.npy", {0, 0, 0}), "--targets", y_big},
                   y_big + ": element 2 = -1e+300 does not fit in f32: it would round to -inf");

  // --no-validate: 1e39 becomes inf, as IEEE rounding gives; σ(inf) = 1 = y, so
  // the element's loss and gradient are 0.
  ASSERT_EQ(run({"loss", "--loss", "mse", "--reduction", "none", "--no-validate", "--logits", zf, "--targets", yf,
                 "--grad-out", path("g.npy"), "--loss-out", path("l.npy")}),
            0)
      << err_.str();
  EXPECT_EQ(npy::load_as_double(npy::read(path("l.npy")), 1), 0.0);
  EXPECT_EQ(npy::load_as_double(npy::read(path("g.npy")), 1), 0.0);

  // NaN and infinity are not overflows: they convert to NaN and infinity.
  const std::string z_special = write_f64("zs.npy", {INFINITY, -INFINITY, NAN});
  ASSERT_EQ(run({"loss", "--loss", "mse", "--reduction", "none", "--logits", z_special, "--targets", yf,
                 "--grad-out", path("g.npy")}),
            0)
      << err_.str();
  EXPECT_TRUE(std::isnan(npy::load_as_double(npy::read(path("g.npy")), 2)));
}

// An output that cannot be written, here because the disk "fills" (a file
// size limit) while the gradient is written: exit 2 naming the file and the
// reason, the old outputs as they were, no temporary file left behind.
TEST_F(CliLoss, AFailedOutputWriteLeavesEveryOldOutputAsItWas) {
  const std::size_t n = 4096;
  const std::string zf = write_array("z.npy", DType::f32, std::vector<double>(n, 0.5));
  const std::string yf = write_array("y.npy", DType::f32, std::vector<double>(n, 1.0));
  put("g.npy", "old gradient");
  put("l.npy", "old loss");
  int status = 0;
  {
    test_support::FileSizeLimit limit(4096);  // the gradient needs 16 KiB + header; the loss file 136 bytes
    ASSERT_TRUE(limit.active());
    status = run({"loss", "--logits", zf, "--targets", yf, "--grad-out", path("g.npy"), "--loss-out", path("l.npy")});
  }
  EXPECT_EQ(status, cli::kExitBadInput);
  EXPECT_NE(err_.str().find(path("g.npy") + ": write error: File too large"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "");  // no JSON for a run whose outputs were not written
  EXPECT_EQ(contents("g.npy"), "old gradient");
  EXPECT_EQ(contents("l.npy"), "old loss");
  EXPECT_EQ(listing(), (std::vector<std::string>{"g.npy", "l.npy", "y.npy", "z.npy"}));
}

// Every output is complete in its temporary file before any is renamed into
// place: when the second cannot be written, the first is not replaced either.
TEST_F(CliLoss, WhenTheSecondOutputFailsTheFirstIsNotWritten) {
  const std::string zf = write_array("z.npy", DType::f32, {0.0, 2.0});
  const std::string yf = write_array("y.npy", DType::f32, {1.0, 0.0});
  put("file", "a regular file, not a directory");
  const std::vector<std::string> args = {"loss", "--reduction", "none", "--logits", zf, "--targets", yf,
                                         "--grad-out", path("g.npy"), "--loss-out", path("file") + "/l.npy"};
  expect_bad_input(args, path("file") + "/l.npy: cannot open the file for writing");
  EXPECT_NE(err_.str().find("Not a directory"), std::string::npos) << err_.str();
  EXPECT_FALSE(fs::exists(path("g.npy")));
  put("g.npy", "old gradient");
  expect_bad_input(args, "Not a directory");
  EXPECT_EQ(contents("g.npy"), "old gradient");
  EXPECT_EQ(listing(), (std::vector<std::string>{"file", "g.npy", "y.npy", "z.npy"}));

  // And a run that succeeds replaces both, leaving nothing else.
  ASSERT_EQ(run({"loss", "--reduction", "none", "--logits", zf, "--targets", yf, "--grad-out", path("g.npy"),
                 "--loss-out", path("l.npy")}),
            0)
      << err_.str();
  EXPECT_EQ(npy::read(path("g.npy")).size(), 2);
  EXPECT_EQ(listing(), (std::vector<std::string>{"file", "g.npy", "l.npy", "y.npy", "z.npy"}));
}

}  // namespace
}  // namespace lossbench
