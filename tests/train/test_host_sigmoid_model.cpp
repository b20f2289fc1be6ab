// The single-layer sigmoid model: initialisations, prediction by the largest
// logit, and accuracy.
#include <gtest/gtest.h>

#include <cmath>

#include "lossbench/core/error.hpp"
#include "lossbench/train/sigmoid_model.hpp"

namespace lossbench {
namespace {

TEST(HostSigmoidModel, InitNamesRoundTrip) {
  for (const ModelInit init : {ModelInit::zero, ModelInit::normal, ModelInit::saturated}) {
    EXPECT_EQ(parse_model_init(to_string(init)), init);
  }
  EXPECT_THROW(parse_model_init("xavier"), InputError);
}

TEST(HostSigmoidModel, Initialisations) {
  const SigmoidModel zero = initial_model(ModelInit::zero, 784, 10, 1);
  EXPECT_EQ(zero.weights, std::vector<float>(7840, 0.0f));
  EXPECT_EQ(zero.bias, std::vector<float>(10, 0.0f));

  const SigmoidModel saturated = initial_model(ModelInit::saturated, 784, 10, 1);
  EXPECT_EQ(saturated.weights, std::vector<float>(7840, 0.0f));
  for (const float b : saturated.bias) EXPECT_NEAR(1 / (1 + std::exp(-b)), 0.982, 0.001) << "σ(b) ≈ 0.98";

  const SigmoidModel normal = initial_model(ModelInit::normal, 784, 10, 1);
  double sum = 0, squares = 0;
  for (const float w : normal.weights) {
    sum += w;
    squares += static_cast<double>(w) * w;
  }
  const double mean = sum / 7840, stddev = std::sqrt(squares / 7840 - mean * mean);
  EXPECT_NEAR(mean, 0.0, 0.001);  // 5 standard errors of the mean (0.01 / √7840)
  EXPECT_NEAR(stddev, kNormalInitStddev, 0.001);
  EXPECT_EQ(initial_model(ModelInit::normal, 784, 10, 1).weights, normal.weights) << "the same seed, the same bits";
  EXPECT_NE(initial_model(ModelInit::normal, 784, 10, 2).weights, normal.weights);
  EXPECT_THROW(initial_model(ModelInit::zero, 0, 10, 1), InputError);
}

TEST(HostSigmoidModel, PredictsTheLargestLogitAndTheLowestClassOnATie) {
  SigmoidModel m = initial_model(ModelInit::zero, 2, 3, 1);
  // z = x0·W0 + x1·W1 + b, W row-major 2 × 3.
  m.weights = {1, 0, -1, 0, 2, 0};
  m.bias = {0, 0, 0.5f};
  const float right[] = {1, 0};    // z = (1, 0, -0.5)
  const float up[] = {0, 1};       // z = (0, 2, 0.5)
  const float nothing[] = {0, 0};  // z = (0, 0, 0.5)
  EXPECT_EQ(predicted_class(m, right), 0);
  EXPECT_EQ(predicted_class(m, up), 1);
  EXPECT_EQ(predicted_class(m, nothing), 2);
  m.bias = {0, 0, 0};
  EXPECT_EQ(predicted_class(m, nothing), 0) << "a tie goes to the lowest class";
}

TEST(HostSigmoidModel, AccuracyCountsCorrectPredictions) {
  SigmoidModel m = initial_model(ModelInit::zero, 2, 3, 1);
  m.weights = {1, 0, -1, 0, 2, 0};
  m.bias = {0, 0, 0.5f};
  const Dataset data = make_dataset({1, 0, 0, 1, 0, 0, 1, 0}, {0, 1, 1, 0}, 2, 3);  // predictions 0, 1, 2, 0
  EXPECT_DOUBLE_EQ(accuracy(m, data), 0.75);
  EXPECT_THROW(accuracy(m, make_dataset({1, 0, 0}, {0}, 3, 3)), InputError) << "d differs";
  EXPECT_THROW(accuracy(m, Dataset{{}, {}, {}, 2, 3, {}}), InputError) << "empty";
}

}  // namespace
}  // namespace lossbench
