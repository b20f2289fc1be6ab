// `lossbench loss --loss gaussian-nll` end to end, in-process: the loss and
// both gradients, with and without --full, compared with the double
// reference (reference/gaussian_nll_reference.hpp) on the values the files
// hold; the outputs' shapes and dtypes; and every bad input exits 2 with a
// message naming the problem, writing nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "cli.hpp"
#include "loss_cli_fixture.hpp"
#include "lossbench/data/npy.hpp"
#include "lossbench/reference/gaussian_nll_reference.hpp"

namespace lossbench {
namespace {

using Shape = std::vector<std::int64_t>;

// A float32 output holds the reference's double rounded once: within half an
// ulp of float32, plus a floor for values near 0.
void expect_float32_of(const npy::Array& got, const std::vector<double>& expected, const Shape& shape,
                       const std::string& what) {
  EXPECT_EQ(got.type, npy::ElementType::f32) << what;
  EXPECT_EQ(got.shape, shape) << what;
  ASSERT_EQ(static_cast<std::size_t>(got.size()), expected.size()) << what;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(npy::load_as_double(got, i), expected[i], 0x1p-24 * std::fabs(expected[i]) + 1e-37)
        << what << " element " << i;
  }
}

class CliLossGaussianNll : public testing::LossCliFixture {
 protected:
  const Shape shape_ = {4, 3};

  void SetUp() override {
    std::mt19937_64 rng(31);
    std::normal_distribution<double> normal(0.0, 2.0);
    std::uniform_real_distribution<double> positive(0.05, 3.0);
    for (int i = 0; i < 12; ++i) {
      mu_.push_back(static_cast<float>(normal(rng)));
      y_.push_back(static_cast<float>(normal(rng)));
      var_.push_back(static_cast<float>(positive(rng)));
    }
    var_[4] = 0.0;     // below eps: clamped, the gradient passes straight through
    var_[7] = 1e-9f;  // likewise
    mu_file_ = write_array("mu.npy", DType::f32, mu_, shape_);
    y_file_ = write_array("y.npy", DType::f32, y_, shape_);
    var_file_ = write_array("var.npy", DType::f32, var_, shape_);
  }

  std::vector<std::string> args(const std::vector<std::string>& more) const {
    std::vector<std::string> a = {"loss", "--loss", "gaussian-nll", "--logits", mu_file_, "--targets", y_file_,
                                  "--var", var_file_};
    a.insert(a.end(), more.begin(), more.end());
    return a;
  }

  std::vector<double> mu_, y_, var_;
  std::string mu_file_, y_file_, var_file_;
};

TEST_F(CliLossGaussianNll, MatchesTheReferenceWithAndWithoutFull) {
  for (const bool full : {true, false}) {
    for (const std::string reduction : {"mean", "sum", "none"}) {
      SCOPED_TRACE(reduction + (full ? " full" : ""));
      // eps is float32 in the call: the reference takes the same float.
      const reference::GaussianNllOptions options{static_cast<float>(1e-6), full};
      const reference::GaussianNllResult ref =
          reference::gaussian_nll(mu_, y_, var_, options, parse_reduction(reduction));
      std::vector<std::string> more = {"--reduction", reduction, "--grad-out", path("dmu.npy"), "--var-grad-out",
                                       path("dvar.npy"), "--loss-out", path("l.npy")};
      if (full) more.push_back("--full");
      ASSERT_EQ(run(args(more)), cli::kExitOk) << err_.str();
      const auto json = nlohmann::json::parse(out_.str());
      EXPECT_EQ(json["n"], 12);
      EXPECT_EQ(json["backend"], "ref");
      EXPECT_EQ(json["loss_function"], "gaussian-nll");
      EXPECT_EQ(json["reduction"], reduction);
      EXPECT_EQ(json["dtype"], "f32");
      EXPECT_EQ(json["full"], full);
      EXPECT_EQ(json["input_dtype"], (nlohmann::json{{"logits", "f32"}, {"targets", "f32"}, {"var", "f32"}}));
      EXPECT_TRUE(json["time_ms"].is_number());
      expect_float32_of(npy::read(path("dmu.npy")), ref.grad_mean, shape_, "dC/dμ");
      expect_float32_of(npy::read(path("dvar.npy")), ref.grad_var, shape_, "dC/dvar");
      const npy::Array l = npy::read(path("l.npy"));
      if (reduction == "none") {
        EXPECT_TRUE(json["loss"].is_null());
        expect_float32_of(l, ref.losses, shape_, "per-element loss");
      } else {
        const double expected = *ref.reduced_loss;
        EXPECT_NEAR(json["loss"].get<double>(), expected, 1e-12 * std::fabs(expected));
        EXPECT_TRUE(l.shape.empty());
        EXPECT_EQ(npy::load_as_double(l, 0), json["loss"].get<double>());
      }
    }
  }
  // --full adds ½ log 2π per element: to the mean once.
  ASSERT_EQ(run(args({})), 0) << err_.str();
  const double plain = nlohmann::json::parse(out_.str())["loss"];
  ASSERT_EQ(run(args({"--full"})), 0) << err_.str();
  // (Up to rounding of the sum, whose terms for var below eps are large.)
  EXPECT_NEAR(nlohmann::json::parse(out_.str())["loss"].get<double>() - plain, 0.5 * std::log(2 * std::numbers::pi),
              1e-14 * std::fabs(plain) + 1e-12);
}

TEST_F(CliLossGaussianNll, EpsAndGradScaleReachTheCallAndInPlaceMatches) {
  const reference::GaussianNllOptions options{static_cast<float>(0.5), false};
  const reference::GaussianNllResult ref = reference::gaussian_nll(mu_, y_, var_, options, Reduction::sum);
  ASSERT_EQ(run(args({"--reduction", "sum", "--eps", "0.5", "--grad-scale", "2", "--grad-out", path("dmu.npy"),
                      "--var-grad-out", path("dvar.npy")})),
            0)
      << err_.str();
  EXPECT_NEAR(nlohmann::json::parse(out_.str())["loss"].get<double>(), *ref.reduced_loss,
              1e-12 * std::fabs(*ref.reduced_loss));
  std::vector<double> twice = ref.grad_mean;
  for (double& g : twice) g *= 2;
  expect_float32_of(npy::read(path("dmu.npy")), twice, shape_, "2 dC/dμ");
  const std::string dmu = contents("dmu.npy");
  const std::string dvar = contents("dvar.npy");
  ASSERT_EQ(run(args({"--reduction", "sum", "--eps", "0.5", "--grad-scale", "2", "--grad-out", path("dmu.npy"),
                      "--var-grad-out", path("dvar.npy"), "--in-place", "--repeats", "2"})),
            0)
      << err_.str();
  EXPECT_EQ(contents("dmu.npy"), dmu);
  EXPECT_EQ(contents("dvar.npy"), dvar);
}

// Every backend agrees with ref; cuda where there is a GPU (elsewhere it
// says it is not available: exit 1).
TEST_F(CliLossGaussianNll, OtherBackendsAgreeWithRef) {
  ASSERT_EQ(run(args({})), 0) << err_.str();
  const double ref_loss = nlohmann::json::parse(out_.str())["loss"];
  for (const std::string backend : {"emu", "cpu", "cuda"}) {
    SCOPED_TRACE(backend);
    const int status = run(args({"--backend", backend}));
    if (backend == "cuda" && status == cli::kExitBackendError) {
      EXPECT_NE(err_.str().find("backend cuda is not available"), std::string::npos) << err_.str();
      continue;
    }
    ASSERT_EQ(status, cli::kExitOk) << err_.str();
    EXPECT_NEAR(nlohmann::json::parse(out_.str())["loss"].get<double>(), ref_loss, 1e-5 * std::fabs(ref_loss));
  }
}

// One check per rule; each exits 2 naming what is wrong, and writes nothing.
TEST_F(CliLossGaussianNll, BadInputsExitTwoWithAMessageNamingTheProblem) {
  const std::vector<std::string> outputs = {"--grad-out", path("dmu.npy"), "--var-grad-out", path("dvar.npy"),
                                            "--loss-out", path("l.npy")};
  std::vector<double> negative = var_;
  negative[5] = -0.5;
  const std::string var_negative = write_array("var_negative.npy", DType::f32, negative, shape_);
  std::vector<std::string> a = {"loss", "--loss", "gaussian-nll", "--logits", mu_file_, "--targets", y_file_,
                                "--var", var_negative};
  a.insert(a.end(), outputs.begin(), outputs.end());
  expect_bad_input(a, var_negative + ": gaussian_nll: var[5] = -0.500000 is negative");
  a.push_back("--no-validate");  // PyTorch refuses it too: no way around the check
  expect_bad_input(a, "var[5] = -0.500000 is negative");

  // Mismatched shapes, PyTorch's broadcast var among them.
  const std::string var_column = write_array("var_column.npy", DType::f32, {1.0, 1.0, 1.0, 1.0}, {4, 1});
  a = {"loss", "--loss", "gaussian-nll", "--logits", mu_file_, "--targets", y_file_, "--var", var_column};
  expect_bad_input(a, "var " + var_column + " have shape (4, 1): the shapes must match");
  EXPECT_NE(err_.str().find("broadcasting of a var with one fewer axis or a last axis of 1 is not supported"),
            std::string::npos) << err_.str();
  const std::string y_flat = write_array("y_flat.npy", DType::f32, y_);
  a = {"loss", "--loss", "gaussian-nll", "--logits", mu_file_, "--targets", y_flat, "--var", var_file_};
  expect_bad_input(a, "logits (μ) " + mu_file_ + " have shape (4, 3) but targets " + y_flat + " have shape (12,)");

  // A missing --var; options that do not apply.
  expect_bad_input({"loss", "--loss", "gaussian-nll", "--logits", mu_file_, "--targets", y_file_},
                   "--loss gaussian-nll needs --var");
  expect_bad_input(args({"--entropy-out", path("h.npy")}),
                   "--entropy-out applies to --loss softmax-ce or kl only, not to --loss gaussian-nll");
  expect_bad_input(args({"--z-loss", "0.1"}), "--z-loss applies to --loss softmax-ce only, not to --loss gaussian-nll");
  expect_bad_input(args({"--label-smoothing", "0.1"}), "--label-smoothing applies to");
  expect_bad_input(args({"--ignore-index", "1"}), "--ignore-index applies to");
  expect_bad_input(args({"--pos-weight", "3"}), "--pos-weight applies to --loss bce only");
  expect_bad_input(args({"--reduction", "batchmean"}), "--reduction batchmean applies to --loss kl only");
  expect_bad_input(args({"--eps", "-1"}), "gaussian_nll: eps must be finite and >= 0");
  expect_bad_input({"loss", "--loss", "bce", "--logits", mu_file_, "--targets", y_file_, "--var", var_file_},
                   "--var applies to --loss gaussian-nll only, not to --loss bce");
  expect_bad_input({"loss", "--loss", "bce", "--logits", mu_file_, "--targets", y_file_, "--var-grad-out",
                    path("dvar.npy")},
                   "--var-grad-out applies to --loss gaussian-nll only");

  // Integer files where floats are expected.
  const std::string var_ints = write_indices("var_ints.npy", npy::ElementType::i64, std::vector<std::int64_t>(12, 1),
                                             shape_);
  a = {"loss", "--loss", "gaussian-nll", "--logits", mu_file_, "--targets", y_file_, "--var", var_ints};
  expect_bad_input(a, var_ints + ": holds i64 integers where floats are expected");

  for (const std::string& name : listing()) {
    EXPECT_TRUE(name != "dmu.npy" && name != "dvar.npy" && name != "l.npy" && name[0] != '.') << name;
  }
}

}  // namespace
}  // namespace lossbench
