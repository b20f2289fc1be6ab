// `lossbench loss --loss softmax-ce|kl` end to end, in-process: int32 and
// int64 class indices, probability rows, KL with each reduction, (..., V)
// logits, each compared with the double reference
// (reference/softmax_reference.hpp) on the values the files hold; the
// outputs' shapes, dtypes and values; and every bad input exits 2 with a
// message naming the problem, writing nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "cli.hpp"
#include "loss_cli_fixture.hpp"
#include "lossbench/data/npy.hpp"
#include "lossbench/reference/softmax_reference.hpp"

namespace lossbench {
namespace {

using Shape = std::vector<std::int64_t>;

// Float32 values, so that the file holds them exactly and the reference
// computes from the same numbers as the backend.
std::vector<double> random_logits(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 3.0);
  std::vector<double> z(n);
  for (double& v : z) v = static_cast<float>(normal(rng));
  return z;
}

// Probability rows: float32 values normalised in double, so that each row
// sums to 1 within float32 rounding (far inside 1e-3). Row 0 has a zero
// probability, whose term is 0, not NaN.
std::vector<double> random_probabilities(std::int64_t rows, std::int64_t classes, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<double> q(static_cast<std::size_t>(rows * classes));
  for (double& v : q) v = unit(rng);
  q[1] = 0.0;
  for (std::int64_t r = 0; r < rows; ++r) {
    const auto row = q.begin() + r * classes;
    double sum = 0;
    for (std::int64_t j = 0; j < classes; ++j) sum += row[j];
    for (std::int64_t j = 0; j < classes; ++j) row[j] = static_cast<float>(row[j] / sum);
  }
  return q;
}

// A float32 output holds the reference's double rounded once (the ref
// backend rounds each output once): within half an ulp of float32, plus a
// floor for values near 0.
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

void expect_loss(const nlohmann::json& json, double expected) {
  ASSERT_TRUE(json["loss"].is_number()) << json.dump();
  EXPECT_NEAR(json["loss"].get<double>(), expected, 1e-12 * std::fabs(expected)) << json.dump();
}

class CliLossSoftmax : public testing::LossCliFixture {
 protected:
  static constexpr std::int64_t kRows = 6;
  static constexpr std::int64_t kClasses = 7;

  nlohmann::json run_ok(const std::vector<std::string>& args) {
    EXPECT_EQ(run(args), cli::kExitOk) << err_.str();
    return nlohmann::json::parse(out_.str());
  }
};

TEST_F(CliLossSoftmax, HardLabelsInt32AndInt64MatchTheReference) {
  const std::vector<double> z = random_logits(kRows * kClasses, 1);
  const std::string zf = write_array("z.npy", DType::f32, z, {kRows, kClasses});
  // Row 3 is ignored (PyTorch's default ignore_index, −100).
  const std::vector<std::int64_t> labels = {0, 6, 2, -100, 5, 3};
  for (const npy::ElementType type : {npy::ElementType::i32, npy::ElementType::i64}) {
    const std::string name(npy::to_string(type));
    const std::string tf = write_indices("t_" + name + ".npy", type, labels);
    for (const std::string reduction : {"mean", "sum", "none"}) {
      SCOPED_TRACE(name + " " + reduction);
      const Reduction r = parse_reduction(reduction);
      const reference::SoftmaxBatchResult ref = reference::softmax_ce_hard(z, kClasses, labels, {}, r);
      const auto json = run_ok({"loss", "--loss", "softmax-ce", "--reduction", reduction, "--logits", zf,
                                "--targets", tf, "--grad-out", path("g.npy"), "--loss-out", path("l.npy"),
                                "--entropy-out", path("h.npy")});
      EXPECT_EQ(json["n"], kRows - 1);  // the rows counted: not the ignored one
      EXPECT_EQ(json["rows"], kRows);
      EXPECT_EQ(json["classes"], kClasses);
      EXPECT_EQ(json["backend"], "ref");
      EXPECT_EQ(json["loss_function"], "softmax-ce");
      EXPECT_EQ(json["reduction"], reduction);
      EXPECT_EQ(json["dtype"], "f32");
      EXPECT_EQ(json["targets"], "class_index_" + name);
      EXPECT_EQ(json["input_dtype"], (nlohmann::json{{"logits", "f32"}, {"targets", name}}));
      EXPECT_TRUE(json["time_ms"].is_number());
      expect_float32_of(npy::read(path("g.npy")), ref.grad, {kRows, kClasses}, "grad");
      expect_float32_of(npy::read(path("h.npy")), ref.entropy, {kRows}, "entropy");
      const npy::Array l = npy::read(path("l.npy"));
      if (reduction == "none") {
        EXPECT_TRUE(json["loss"].is_null());
        expect_float32_of(l, ref.losses, {kRows}, "per-row loss");
        EXPECT_EQ(npy::load_as_double(l, 3), 0.0);  // the ignored row
      } else {
        expect_loss(json, *ref.reduced_loss);
        EXPECT_EQ(l.type, npy::ElementType::f64);
        EXPECT_TRUE(l.shape.empty());
        EXPECT_EQ(npy::load_as_double(l, 0), json["loss"].get<double>());
      }
    }
  }
}

TEST_F(CliLossSoftmax, LabelSmoothingZLossIgnoreIndexAndGradScaleReachTheCall) {
  const std::vector<double> z = random_logits(kRows * kClasses, 2);
  const std::string zf = write_array("z.npy", DType::f32, z, {kRows, kClasses});
  // Rows 1 and 2 have the ignored label 4; the others are smoothed, with a z-loss.
  const std::vector<std::int64_t> labels = {1, 4, 4, 0, 2, 6};
  const std::string tf = write_indices("t.npy", npy::ElementType::i64, labels);
  const auto json = run_ok({"loss", "--loss", "softmax-ce", "--logits", zf, "--targets", tf, "--label-smoothing",
                            "0.1", "--z-loss", "0.001", "--ignore-index", "4", "--grad-scale", "0.5",
                            "--grad-out", path("g.npy")});
  EXPECT_EQ(json["n"], kRows - 2);
  // ε and c are float32 in the call: the reference takes the same floats.
  const reference::SoftmaxCeOptions options{static_cast<float>(0.1), static_cast<float>(1e-3), 4};
  const reference::SoftmaxBatchResult ref_f = reference::softmax_ce_hard(z, kClasses, labels, options,
                                                                         Reduction::mean);
  expect_loss(json, *ref_f.reduced_loss);
  std::vector<double> half = ref_f.grad;
  for (double& g : half) g *= 0.5;
  expect_float32_of(npy::read(path("g.npy")), half, {kRows, kClasses}, "grad × 0.5");
}

TEST_F(CliLossSoftmax, SoftTargetsMatchTheReference) {
  const std::vector<double> z = random_logits(kRows * kClasses, 3);
  const std::vector<double> q = random_probabilities(kRows, kClasses, 4);
  const std::string zf = write_array("z.npy", DType::f32, z, {kRows, kClasses});
  const std::string qf = write_array("q.npy", DType::f32, q, {kRows, kClasses});
  for (const std::string reduction : {"mean", "sum", "none"}) {
    SCOPED_TRACE(reduction);
    const reference::SoftmaxBatchResult ref = reference::softmax_ce_soft(z, kClasses, q, parse_reduction(reduction));
    const auto json = run_ok({"loss", "--loss", "softmax-ce", "--reduction", reduction, "--logits", zf, "--targets",
                              qf, "--grad-out", path("g.npy"), "--loss-out", path("l.npy")});
    EXPECT_EQ(json["n"], kRows);  // every row counts
    EXPECT_EQ(json["targets"], "probabilities");
    expect_float32_of(npy::read(path("g.npy")), ref.grad, {kRows, kClasses}, "grad");
    if (reduction == "none") {
      EXPECT_TRUE(json["loss"].is_null());
      expect_float32_of(npy::read(path("l.npy")), ref.losses, {kRows}, "per-row loss");
    } else {
      expect_loss(json, *ref.reduced_loss);
    }
  }
}

TEST_F(CliLossSoftmax, KlEachReductionMatchesTheReference) {
  const std::vector<double> z = random_logits(kRows * kClasses, 5);
  const std::vector<double> q = random_probabilities(kRows, kClasses, 6);
  const std::string zf = write_array("z.npy", DType::f32, z, {kRows, kClasses});
  const std::string qf = write_array("q.npy", DType::f32, q, {kRows, kClasses});
  const std::vector<std::pair<std::string, reference::KlReduction>> reductions = {
      {"none", reference::KlReduction::none},
      {"sum", reference::KlReduction::sum},
      {"mean", reference::KlReduction::mean},
      {"batchmean", reference::KlReduction::batchmean}};
  for (const auto& [reduction, kl_reduction] : reductions) {
    SCOPED_TRACE(reduction);
    const reference::SoftmaxBatchResult ref = reference::kl_div(z, kClasses, q, kl_reduction);
    const auto json = run_ok({"loss", "--loss", "kl", "--reduction", reduction, "--logits", zf, "--targets", qf,
                              "--grad-out", path("g.npy"), "--loss-out", path("l.npy"), "--entropy-out",
                              path("h.npy")});
    EXPECT_EQ(json["loss_function"], "kl");
    EXPECT_EQ(json["reduction"], reduction);
    EXPECT_EQ(json["n"], kRows);
    expect_float32_of(npy::read(path("g.npy")), ref.grad, {kRows, kClasses}, "grad");
    expect_float32_of(npy::read(path("h.npy")), ref.entropy, {kRows}, "entropy");
    if (reduction == "none") {
      EXPECT_TRUE(json["loss"].is_null());
      // kl_div's none is one value per element: the logits' shape.
      expect_float32_of(npy::read(path("l.npy")), ref.losses, {kRows, kClasses}, "per-element loss");
    } else {
      expect_loss(json, *ref.reduced_loss);
    }
  }
  // batchmean is sum / rows, mean sum / (rows · classes).
  const double sum = *reference::kl_div(z, kClasses, q, reference::KlReduction::sum).reduced_loss;
  EXPECT_NEAR(*reference::kl_div(z, kClasses, q, reference::KlReduction::batchmean).reduced_loss, sum / kRows,
              1e-14 * std::fabs(sum));
}

// (B, T, V) logits: B·T rows; class indices and every per-row output of
// shape (B, T), the gradient of the logits' shape.
TEST_F(CliLossSoftmax, ThreeDimensionalLogitsAreRowsOfTheirLastAxis) {
  const Shape shape = {2, 3, 5};
  const std::vector<double> z = random_logits(30, 7);
  const std::vector<std::int64_t> labels = {4, 0, 1, 2, -100, 3};
  const std::string zf = write_array("z.npy", DType::f32, z, shape);
  const std::string tf = write_indices("t.npy", npy::ElementType::i64, labels, {2, 3});
  const reference::SoftmaxBatchResult ref = reference::softmax_ce_hard(z, 5, labels, {}, Reduction::none);
  const auto json = run_ok({"loss", "--loss", "softmax-ce", "--reduction", "none", "--logits", zf, "--targets", tf,
                            "--grad-out", path("g.npy"), "--loss-out", path("l.npy"), "--entropy-out",
                            path("h.npy")});
  EXPECT_EQ(json["rows"], 6);
  EXPECT_EQ(json["classes"], 5);
  EXPECT_EQ(json["n"], 5);
  expect_float32_of(npy::read(path("g.npy")), ref.grad, shape, "grad");
  expect_float32_of(npy::read(path("l.npy")), ref.losses, {2, 3}, "per-row loss");
  expect_float32_of(npy::read(path("h.npy")), ref.entropy, {2, 3}, "entropy");

  // A bad index is named by its row in the flattened (B·T) order.
  const std::string bad = write_indices("bad.npy", npy::ElementType::i64, {4, 0, 1, 2, 5, 3}, {2, 3});
  expect_bad_input({"loss", "--loss", "softmax-ce", "--logits", zf, "--targets", bad},
                   bad + ": softmax_loss: targets[4] = 5 is neither a class index in [0, 5)");
  EXPECT_NE(err_.str().find("rows are the logits' leading axes (2, 3) flattened in C order"), std::string::npos)
      << err_.str();
}

// A 1-d array of V logits is one row; its class index a 0-d array, as
// PyTorch's cross_entropy takes an input (C,) with a target ().
TEST_F(CliLossSoftmax, OneDimensionalLogitsAreOneRow) {
  const std::vector<double> z = {1.0, -2.0, 0.5, 3.0};
  const std::string zf = write_array("z.npy", DType::f16, z);
  npy::Array t;
  t.type = npy::ElementType::i64;
  t.shape = {};
  t.bytes = {3, 0, 0, 0, 0, 0, 0, 0};
  npy::write(path("t.npy"), t);
  const reference::SoftmaxBatchResult ref = reference::softmax_ce_hard(z, 4, std::vector<std::int64_t>{3}, {},
                                                                       Reduction::none);
  const auto json = run_ok({"loss", "--loss", "softmax-ce", "--reduction", "none", "--logits", zf, "--targets",
                            path("t.npy"), "--loss-out", path("l.npy"), "--grad-out", path("g.npy")});
  EXPECT_EQ(json["rows"], 1);
  EXPECT_EQ(json["dtype"], "f16");  // the logits file's
  const npy::Array l = npy::read(path("l.npy"));
  EXPECT_EQ(l.type, npy::ElementType::f16);
  EXPECT_TRUE(l.shape.empty());
  EXPECT_NEAR(npy::load_as_double(l, 0), ref.losses[0], 0x1p-11 * ref.losses[0]);
  EXPECT_EQ(npy::read(path("g.npy")).shape, Shape{4});
}

// The gradient written over the logits is the same as out of place.
TEST_F(CliLossSoftmax, InPlaceGivesTheSameGradient) {
  const std::string zf = write_array("z.npy", DType::f32, random_logits(kRows * kClasses, 8), {kRows, kClasses});
  const std::string tf = write_indices("t.npy", npy::ElementType::i32, {0, 1, 2, 3, 4, 5});
  run_ok({"loss", "--loss", "softmax-ce", "--logits", zf, "--targets", tf, "--grad-out", path("g.npy")});
  const std::string out_of_place = contents("g.npy");
  run_ok({"loss", "--loss", "softmax-ce", "--logits", zf, "--targets", tf, "--grad-out", path("g.npy"),
          "--in-place", "--repeats", "3"});
  EXPECT_EQ(contents("g.npy"), out_of_place);
}

// Every backend is reached through the same API and agrees with ref; cuda
// where there is a GPU (elsewhere it says it is not available: exit 1).
TEST_F(CliLossSoftmax, OtherBackendsAgreeWithRef) {
  const std::string zf = write_array("z.npy", DType::f32, random_logits(kRows * kClasses, 9), {kRows, kClasses});
  const std::string tf = write_indices("t.npy", npy::ElementType::i64, {0, 1, 2, 3, 4, 5});
  const auto ref = run_ok({"loss", "--loss", "softmax-ce", "--logits", zf, "--targets", tf});
  for (const std::string backend : {"emu", "cpu", "cuda"}) {
    SCOPED_TRACE(backend);
    const int status = run({"loss", "--loss", "softmax-ce", "--logits", zf, "--targets", tf, "--backend", backend});
    if (backend == "cuda" && status == cli::kExitBackendError) {
      EXPECT_NE(err_.str().find("backend cuda is not available"), std::string::npos) << err_.str();
      continue;
    }
    ASSERT_EQ(status, cli::kExitOk) << err_.str();
    EXPECT_NEAR(nlohmann::json::parse(out_.str())["loss"].get<double>(), ref["loss"].get<double>(),
                1e-5 * ref["loss"].get<double>());
  }
}

TEST_F(CliLossSoftmax, NoValidateLetsUnnormalisedProbabilityRowsThrough) {
  const std::string zf = write_array("z.npy", DType::f32, {0.0, 1.0, 2.0, 0.5}, {2, 2});
  const std::string qf = write_array("q.npy", DType::f32, {0.5, 0.7, 0.25, 0.75}, {2, 2});
  expect_bad_input({"loss", "--loss", "kl", "--logits", zf, "--targets", qf},
                   qf + ": softmax_loss: targets row 0 sums to 1.200000, off 1 by more than 1e-3");
  run_ok({"loss", "--loss", "kl", "--logits", zf, "--targets", qf, "--no-validate"});
  // Class indices are checked even so: a device would read out of bounds.
  const std::string tf = write_indices("t.npy", npy::ElementType::i32, {0, 2});
  expect_bad_input({"loss", "--loss", "softmax-ce", "--logits", zf, "--targets", tf, "--no-validate"},
                   "targets[1] = 2 is neither a class index in [0, 2)");
}

// One check per rule; each exits 2 naming what is wrong, and writes nothing.
TEST_F(CliLossSoftmax, BadInputsExitTwoWithAMessageNamingTheProblem) {
  const std::string zf = write_array("z.npy", DType::f32, random_logits(12, 10), {3, 4});
  const std::string tf = write_indices("t.npy", npy::ElementType::i64, {0, 3, 1});
  const std::string qf = write_array("q.npy", DType::f32, random_probabilities(3, 4, 11), {3, 4});
  const std::vector<std::string> ce = {"loss", "--loss", "softmax-ce", "--logits", zf, "--grad-out", path("g.npy"),
                                       "--loss-out", path("l.npy"), "--entropy-out", path("h.npy")};
  const auto with = [&](std::vector<std::string> base, const std::vector<std::string>& more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
  };

  // A class index out of range, not the ignore index: named by row.
  const std::string t_out = write_indices("t_out.npy", npy::ElementType::i32, {0, 4, 1});
  expect_bad_input(with(ce, {"--targets", t_out}),
                   t_out + ": softmax_loss: targets[1] = 4 is neither a class index in [0, 4) nor the ignore "
                           "index -100");
  const std::string t_neg = write_indices("t_neg.npy", npy::ElementType::i64, {0, 1, -1});
  expect_bad_input(with(ce, {"--targets", t_neg}), "targets[2] = -1 is neither");
  // −100 is a class error once another label is the ignore index.
  const std::string t_ignored = write_indices("t_ignored.npy", npy::ElementType::i64, {0, -100, 1});
  ASSERT_EQ(run({"loss", "--loss", "softmax-ce", "--logits", zf, "--targets", t_ignored}), 0) << err_.str();
  expect_bad_input(with(ce, {"--targets", t_ignored, "--ignore-index", "3"}),
                   "targets[1] = -100 is neither a class index in [0, 4) nor the ignore index 3");

  // Mismatched shapes: integer targets need the leading shape, float ones the logits'.
  const std::string t_long = write_indices("t_long.npy", npy::ElementType::i64, {0, 1, 2, 3});
  expect_bad_input(with(ce, {"--targets", t_long}),
                   "targets " + t_long + " hold i64 class indices of shape (4,) but logits " + zf +
                       " of shape (3, 4) need one index per row: shape (3,)");
  const std::string t_full = write_indices("t_full.npy", npy::ElementType::i32, std::vector<std::int64_t>(12, 0),
                                           {3, 4});
  expect_bad_input(with(ce, {"--targets", t_full}), "need one index per row: shape (3,)");
  const std::string q_short = write_array("q_short.npy", DType::f32, {0.5, 0.5, 0.5, 0.5, 1.0, 0.0}, {3, 2});
  expect_bad_input(with(ce, {"--targets", q_short}),
                   "logits " + zf + " have shape (3, 4) but targets " + q_short + " have shape (3, 2)");
  EXPECT_NE(err_.str().find("class indices are an int32 or int64 array of shape (3,)"), std::string::npos);
  const std::string q_rows = write_array("q_rows.npy", DType::f32, {0.0, 1.0, 2.0});  // labels saved as floats
  expect_bad_input(with(ce, {"--targets", q_rows}), "float targets are probability rows of the logits' shape");

  // Probability rows: a negative entry, a sum off 1.
  std::vector<double> q_bad = random_probabilities(3, 4, 12);
  q_bad[6] = -0.125;
  q_bad[7] += 0.125;
  const std::string q_negative = write_array("q_negative.npy", DType::f32, q_bad, {3, 4});
  expect_bad_input(with(ce, {"--targets", q_negative}),
                   q_negative + ": softmax_loss: targets row 1, class 2 = -0.125000 is not a probability");
  std::vector<double> q_sum = random_probabilities(3, 4, 13);
  q_sum[9] += 0.01;
  const std::string q_off = write_array("q_off.npy", DType::f32, q_sum, {3, 4});
  expect_bad_input(with(ce, {"--targets", q_off}), q_off + ": softmax_loss: targets row 2 sums to 1.01");

  // An empty class axis; no class axis at all.
  const std::string z_empty = write_array("z_empty.npy", DType::f32, {}, {3, 0});
  expect_bad_input({"loss", "--loss", "softmax-ce", "--logits", z_empty, "--targets", tf}, "an empty class axis");
  const std::string z_scalar = write_array("z_scalar.npy", DType::f32, {1.0}, {});
  npy::Array scalar = npy::read(z_scalar);
  scalar.shape = {};
  npy::write(z_scalar, scalar);
  expect_bad_input({"loss", "--loss", "softmax-ce", "--logits", z_scalar, "--targets", tf},
                   "logits " + z_scalar + " are a 0-d array: softmax losses need a class axis");

  // Options that do not apply: the API's rules within the softmax losses...
  expect_bad_input(with(ce, {"--targets", qf, "--z-loss", "0.1"}),
                   "z_loss applies to cross_entropy with class indices only");
  expect_bad_input({"loss", "--loss", "kl", "--logits", zf, "--targets", qf, "--z-loss", "0.1"},
                   "z_loss applies to cross_entropy with class indices only");
  expect_bad_input({"loss", "--loss", "kl", "--logits", zf, "--targets", qf, "--label-smoothing", "0.1"},
                   "label_smoothing applies to cross_entropy only");
  expect_bad_input(with(ce, {"--targets", qf, "--ignore-index", "0"}),
                   "ignore_index applies to class-index targets only");
  expect_bad_input(with(ce, {"--targets", tf, "--reduction", "batchmean"}), "reduction batchmean applies to kl only");
  expect_bad_input(with(ce, {"--targets", tf, "--label-smoothing", "1.5"}), "label_smoothing must be in [0, 1]");
  expect_bad_input(with(ce, {"--targets", tf, "--z-loss", "-1"}), "z_loss must be finite and >= 0");
  // ...and the command's, across the APIs.
  expect_bad_input(with(ce, {"--targets", tf, "--var", path("v.npy")}),
                   "--var applies to --loss gaussian-nll only, not to --loss softmax-ce");
  expect_bad_input(with(ce, {"--targets", tf, "--var-grad-out", path("dv.npy")}), "--var-grad-out applies to");
  expect_bad_input(with(ce, {"--targets", tf, "--full"}), "--full applies to --loss gaussian-nll only");
  expect_bad_input(with(ce, {"--targets", tf, "--eps", "0.1"}), "--eps applies to --loss gaussian-nll only");
  expect_bad_input(with(ce, {"--targets", tf, "--pos-weight", "2"}), "--pos-weight applies to --loss bce only");
  expect_bad_input({"loss", "--loss", "bce", "--logits", zf, "--targets", qf, "--z-loss", "0.1"},
                   "--z-loss applies to --loss softmax-ce only, not to --loss bce");
  expect_bad_input({"loss", "--loss", "bce", "--logits", zf, "--targets", qf, "--entropy-out", path("h.npy")},
                   "--entropy-out applies to --loss softmax-ce or kl only, not to --loss bce");
  expect_bad_input({"loss", "--loss", "mse", "--logits", zf, "--targets", qf, "--reduction", "batchmean"},
                   "--reduction batchmean applies to --loss kl only");

  // An integer targets file for kl; integer logits; a big-endian integer file.
  expect_bad_input({"loss", "--loss", "kl", "--logits", zf, "--targets", tf},
                   "softmax_loss: kl takes probability targets, got class_index_i64 (targets " + tf +
                       " hold i64 class indices)");
  expect_bad_input({"loss", "--loss", "softmax-ce", "--logits", t_full, "--targets", tf},
                   t_full + ": holds i32 integers where floats are expected");
  npy::Array big = npy::read(tf);
  std::vector<unsigned char> file = npy::serialize(big);
  const std::string descr = "'<i8'";
  std::search(file.begin(), file.end(), descr.begin(), descr.end())[1] = '>';
  put("t_big.npy", std::string(file.begin(), file.end()));
  expect_bad_input(with(ce, {"--targets", path("t_big.npy")}),
                   path("t_big.npy") + ": unsupported dtype '>i8': lossbench reads integers little-endian only");

  // None of these runs wrote an output, not even in part.
  for (const std::string& name : listing()) {
    EXPECT_TRUE(name != "g.npy" && name != "l.npy" && name != "h.npy" && name[0] != '.') << name;
  }
}

// Class weights (--class-weight, PyTorch's cross_entropy weight). The
// expected losses, for z, w, t and q below, checked with torch 2.15.0 in
// float64 (CPU) on 2026-12-07 (torch gives the last as 1.6402993780760113,
// 1 ulp away):
//   F.cross_entropy(z, t, weight=w)                         1.3431871863326894
//   F.cross_entropy(z, t, weight=w, label_smoothing=0.2)    1.7485061169051277
//   F.cross_entropy(z, t, weight=w, reduction='sum')        2.3505775760822063
//   F.cross_entropy(z, [2, -100, 3], weight=w)              0.3170791754464779
//   F.cross_entropy(z, q, weight=w)                         1.5589477043790938
//   F.cross_entropy(z, q, weight=w, label_smoothing=0.2)    1.6402993780760111
// Every value in the files is exact in float32; the backends compute in
// float32 (ε = 0.2 rounded to float), so 1e-6 relative.
TEST_F(CliLossSoftmax, ClassWeightsGivePyTorchsWeightedMean) {
  const std::vector<double> z = {1.5, -0.25, 3.0, 0.5, -2.0, 0.75, 0.0, 1.25, 0.5, 0.5, -1.0, 2.0};
  const std::vector<double> w = {0.5, 2.0, 1.0, 0.25};
  const std::vector<double> q = {0.25, 0.25, 0.5, 0.0, 0.125, 0.25, 0.375, 0.25, 1.0, 0.0, 0.0, 0.0};
  const std::string zf = write_array("z.npy", DType::f32, z, {3, 4});
  const std::string wf = write_array("w.npy", DType::f32, w, {4});
  const std::string tf = write_indices("t.npy", npy::ElementType::i64, {2, 0, 3});
  const std::string ignored = write_indices("t_ignored.npy", npy::ElementType::i32, {2, -100, 3});
  const std::string qf = write_array("q.npy", DType::f32, q, {3, 4});
  struct Case {
    std::vector<std::string> args;
    double pytorch;
  };
  const std::vector<Case> cases = {{{"--targets", tf}, 1.3431871863326894},
                                   {{"--targets", tf, "--label-smoothing", "0.2"}, 1.7485061169051277},
                                   {{"--targets", tf, "--reduction", "sum"}, 2.3505775760822063},
                                   {{"--targets", ignored}, 0.3170791754464779},
                                   {{"--targets", qf}, 1.5589477043790938},
                                   {{"--targets", qf, "--label-smoothing", "0.2"}, 1.6402993780760111}};
  for (const std::string backend : {"ref", "cpu", "emu"}) {
    for (const Case& c : cases) {
      std::vector<std::string> args = {"loss", "--loss", "softmax-ce", "--backend", backend, "--logits", zf,
                                       "--class-weight", wf, "--grad-out", path("g.npy")};
      args.insert(args.end(), c.args.begin(), c.args.end());
      SCOPED_TRACE(backend + " " + c.args[1] + (c.args.size() > 2 ? " " + c.args[2] : ""));
      const auto json = run_ok(args);
      ASSERT_TRUE(json["loss"].is_number()) << json.dump();
      EXPECT_NEAR(json["loss"].get<double>(), c.pytorch, 1e-6 * c.pytorch);
      EXPECT_EQ(json["input_dtype"]["class_weight"], "f32");
    }
  }
  // The gradient of the weighted mean against the reference (ref rounds it once).
  const std::vector<std::int64_t> labels = {2, 0, 3};
  reference::SoftmaxCeOptions options;
  options.class_weight = w;
  const reference::SoftmaxBatchResult ref = reference::softmax_ce_hard(z, 4, labels, options, Reduction::mean);
  EXPECT_NEAR(*ref.reduced_loss, 1.3431871863326894, 1e-15);
  run_ok({"loss", "--loss", "softmax-ce", "--logits", zf, "--targets", tf, "--class-weight", wf, "--grad-out",
          path("g.npy")});
  expect_float32_of(npy::read(path("g.npy")), ref.grad, {3, 4}, "weighted grad");
}

TEST_F(CliLossSoftmax, BadClassWeightsExitTwoNamingTheFileAndTheShape) {
  const std::string zf = write_array("z.npy", DType::f32, random_logits(12, 20), {3, 4});
  const std::string tf = write_indices("t.npy", npy::ElementType::i64, {0, 3, 1});
  const std::string qf = write_array("q.npy", DType::f32, random_probabilities(3, 4, 21), {3, 4});
  const std::vector<std::string> ce = {"loss", "--loss", "softmax-ce", "--logits", zf, "--targets", tf,
                                       "--grad-out", path("g.npy")};
  const auto with = [&](std::vector<std::string> base, const std::vector<std::string>& more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
  };
  const std::string w_long = write_array("w_long.npy", DType::f32, {1, 1, 1, 1, 1}, {5});
  expect_bad_input(with(ce, {"--class-weight", w_long}),
                   w_long + ": class weights of shape (5,) for logits " + zf +
                       " of shape (3, 4): expected one per class, shape (4,)");
  const std::string w_2d = write_array("w_2d.npy", DType::f32, {1, 1, 1, 1}, {1, 4});
  expect_bad_input(with(ce, {"--class-weight", w_2d}), "class weights of shape (1, 4)");
  const std::string w_negative = write_array("w_negative.npy", DType::f32, {1, -0.5, 1, 1}, {4});
  expect_bad_input(with(ce, {"--class-weight", w_negative}),
                   w_negative + ": softmax_loss: class_weight[1] = -0.500000 is not a weight (expected finite and >= 0)");
  const std::string w_nan = write_array("w_nan.npy", DType::f32, {1, 1, std::nan(""), 1}, {4});
  expect_bad_input(with(ce, {"--class-weight", w_nan}), "class_weight[2] = nan is not a weight");
  // Checked with --no-validate too, and for probability rows.
  expect_bad_input(with(ce, {"--class-weight", w_nan, "--no-validate"}), "class_weight[2] = nan is not a weight");
  expect_bad_input({"loss", "--loss", "softmax-ce", "--logits", zf, "--targets", qf, "--class-weight", w_negative},
                   "class_weight[1] = -0.500000 is not a weight");
  // The counted rows' labels 0, 3, 1 weigh 0: PyTorch's mean would be 0/0.
  const std::string w_zero = write_array("w_zero.npy", DType::f32, {0, 0, 5, 0}, {4});
  expect_bad_input(with(ce, {"--class-weight", w_zero}),
                   "the class weights of the 3 rows not ignored sum to 0: their weighted mean is 0/0");
  ASSERT_EQ(run(with(ce, {"--class-weight", w_zero, "--reduction", "sum"})), 0) << err_.str();  // a sum is fine
  const std::string w_ok = write_array("w_ok.npy", DType::f32, {1, 2, 3, 4}, {4});
  expect_bad_input(with(ce, {"--class-weight", w_ok, "--z-loss", "0.1"}), "class_weight with a z-loss");
  expect_bad_input({"loss", "--loss", "kl", "--logits", zf, "--targets", qf, "--class-weight", w_ok},
                   "class_weight applies to cross_entropy only (PyTorch's kl_div takes no weight)");
  expect_bad_input({"loss", "--loss", "bce", "--logits", zf, "--targets", qf, "--class-weight", w_ok},
                   "--class-weight applies to --loss softmax-ce only, not to --loss bce");
  expect_bad_input(with(ce, {"--class-weight", path("missing.npy")}), path("missing.npy"));
}

// A late failure (the third output cannot be written) leaves the first two unwritten.
TEST_F(CliLossSoftmax, WhenAnOutputCannotBeWrittenNoneIs) {
  const std::string zf = write_array("z.npy", DType::f32, {0.0, 2.0, 1.0, -1.0}, {2, 2});
  const std::string tf = write_indices("t.npy", npy::ElementType::i64, {1, 0});
  put("file", "a regular file, not a directory");
  expect_bad_input({"loss", "--loss", "softmax-ce", "--reduction", "none", "--logits", zf, "--targets", tf,
                    "--grad-out", path("g.npy"), "--loss-out", path("l.npy"), "--entropy-out",
                    path("file") + "/h.npy"},
                   path("file") + "/h.npy: cannot open the file for writing");
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(listing(), (std::vector<std::string>{"file", "t.npy", "z.npy"}));
}

TEST_F(CliLossSoftmax, HelpListsTheNewOptions) {
  ASSERT_EQ(run({"loss", "--help"}), 0);
  for (const std::string option : {"softmax-ce", "gaussian-nll", "batchmean", "--label-smoothing", "--ignore-index",
                                   "--z-loss", "--class-weight", "--entropy-out", "--var", "--var-grad-out", "--eps",
                                   "--full"}) {
    EXPECT_NE(out_.str().find(option), std::string::npos) << option;
  }
}

}  // namespace
}  // namespace lossbench
