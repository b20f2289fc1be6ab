// Data sets: one-hot targets, the first-N subset, the synthetic generator
// (deterministic and separable) and the Fashion-MNIST loader on small IDX
// files written here, including missing and malformed ones.
#include <gtest/gtest.h>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "common/test_directory.hpp"
#include "lossbench/data/dataset.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/data/fashion_mnist.hpp"
#include "lossbench/data/synthetic_dataset.hpp"

namespace lossbench {
namespace {

namespace fs = std::filesystem;

TEST(HostDataset, TargetsAreOneHot) {
  const Dataset data = make_dataset({0.f, 1.f, 2.f, 3.f, 4.f, 5.f}, {2, 0}, 3, 3);
  EXPECT_EQ(data.count(), 2u);
  EXPECT_EQ(data.targets, (std::vector<float>{0, 0, 1, 1, 0, 0}));
  EXPECT_THROW(make_dataset({0.f, 1.f}, {0, 1}, 3, 3), InputError) << "2 inputs for 2 rows of 3";
  EXPECT_THROW(make_dataset({0.f, 1.f, 2.f}, {3}, 3, 3), InputError) << "label 3 of 3 classes";
  EXPECT_THROW(make_dataset({}, {}, 0, 3), InputError) << "d = 0";
}

TEST(HostDataset, FirstExamplesTakesAPrefixAndClamps) {
  const Dataset data = make_dataset({0.f, 1.f, 2.f, 3.f, 4.f, 5.f}, {1, 0, 1}, 2, 2);
  const Dataset two = first_examples(data, 2);
  EXPECT_EQ(two.inputs, (std::vector<float>{0, 1, 2, 3}));
  EXPECT_EQ(two.labels, (std::vector<std::uint8_t>{1, 0}));
  EXPECT_EQ(two.targets, (std::vector<float>{0, 1, 1, 0}));
  EXPECT_EQ(first_examples(data, 100).count(), 3u);
  EXPECT_THROW(first_examples(data, 0), InputError);
}

TEST(HostDataset, SyntheticIsDeterministicForASeed) {
  SyntheticSpec spec;
  const DatasetSplit a = make_synthetic_dataset(spec);
  const DatasetSplit b = make_synthetic_dataset(spec);
  EXPECT_EQ(a.train.inputs, b.train.inputs);
  EXPECT_EQ(a.test.labels, b.test.labels);
  EXPECT_EQ(a.train.count(), spec.train_count);
  EXPECT_EQ(a.test.count(), spec.test_count);
  EXPECT_EQ(a.train.d, spec.d);
  EXPECT_EQ(a.train.k, spec.k);
  spec.seed = 2;
  EXPECT_NE(make_synthetic_dataset(spec).train.inputs, a.train.inputs);
}

// Separable means a linear rule classifies it: nearest class mean (measured
// on the training set) is one, and it must be right on nearly every test example.
TEST(HostDataset, SyntheticClassesAreLinearlySeparable) {
  SyntheticSpec spec;
  const DatasetSplit split = make_synthetic_dataset(spec);
  const auto d = static_cast<std::size_t>(spec.d);
  const auto k = static_cast<std::size_t>(spec.k);
  std::vector<double> means(k * d, 0.0);
  std::vector<double> counts(k, 0.0);
  for (std::size_t i = 0; i < split.train.count(); ++i) {
    counts[split.train.labels[i]] += 1;
    for (std::size_t c = 0; c < d; ++c) means[split.train.labels[i] * d + c] += split.train.inputs[i * d + c];
  }
  for (std::size_t j = 0; j < k; ++j) {
    ASSERT_GT(counts[j], 0) << "class " << j << " has no training example";
    for (std::size_t c = 0; c < d; ++c) means[j * d + c] /= counts[j];
  }
  std::size_t correct = 0;
  for (std::size_t i = 0; i < split.test.count(); ++i) {
    std::size_t best = 0;
    double best_distance = 1e300;
    for (std::size_t j = 0; j < k; ++j) {
      double distance = 0;
      for (std::size_t c = 0; c < d; ++c) {
        const double delta = split.test.inputs[i * d + c] - means[j * d + c];
        distance += delta * delta;
      }
      if (distance < best_distance) {
        best_distance = distance;
        best = j;
      }
    }
    correct += best == split.test.labels[i];
  }
  EXPECT_GE(static_cast<double>(correct) / static_cast<double>(split.test.count()), 0.99);
}

TEST(HostDataset, SyntheticRejectsBadSpecs) {
  SyntheticSpec spec;
  spec.k = 0;
  EXPECT_THROW(make_synthetic_dataset(spec), InputError);
  spec = {};
  spec.train_count = 0;
  EXPECT_THROW(make_synthetic_dataset(spec), InputError);
  spec = {};
  spec.spread = -1;
  EXPECT_THROW(make_synthetic_dataset(spec), InputError);
}

std::vector<unsigned char> idx_bytes(std::vector<std::uint32_t> dims, const std::vector<unsigned char>& data) {
  std::vector<unsigned char> out = {0, 0, 0x08, static_cast<unsigned char>(dims.size())};
  for (const std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<unsigned char>(d >> shift));
  }
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

class HostFashionMnist : public ::testing::Test {
 protected:

  void write_gzip(const std::string& name, const std::vector<unsigned char>& bytes) { dir_.write_gzip(name, bytes); }
  // Three training and two test images of 2 × 3 pixels; pixel p of image i is 10·i + p.
  void write_all() {
    for (const auto& [part, count] : {std::pair<std::string, std::uint32_t>{"train", 3}, {"t10k", 2}}) {
      std::vector<unsigned char> pixels(count * 6);
      for (std::size_t p = 0; p < pixels.size(); ++p) pixels[p] = static_cast<unsigned char>(10 * (p / 6) + p % 6);
      std::vector<unsigned char> labels(count);
      for (std::size_t i = 0; i < count; ++i) labels[i] = static_cast<unsigned char>(9 - i);
      write_gzip(part + "-images-idx3-ubyte.gz", idx_bytes({count, 2, 3}, pixels));
      write_gzip(part + "-labels-idx1-ubyte.gz", idx_bytes({count}, labels));
    }
  }
  void expect_rejected(const std::string& needle) {
    try {
      load_fashion_mnist(dir_);
      ADD_FAILURE() << "loaded " << dir_.path() << "; expected an error containing: " << needle;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what() << "\nexpected: " << needle;
    }
  }

  testing::TestDirectory dir_;
};

TEST_F(HostFashionMnist, LoadsImagesScaledToTheUnitInterval) {
  write_all();
  EXPECT_TRUE(fashion_mnist_present(dir_));
  const DatasetSplit split = load_fashion_mnist(dir_);
  EXPECT_EQ(split.source, dir_.path().string());
  EXPECT_EQ(split.train.count(), 3u);
  EXPECT_EQ(split.test.count(), 2u);
  EXPECT_EQ(split.train.d, 6);
  EXPECT_EQ(split.train.k, 10);
  EXPECT_FLOAT_EQ(split.train.inputs[2 * 6 + 5], 25.0f / 255.0f);
  EXPECT_EQ(split.test.labels, (std::vector<std::uint8_t>{9, 8}));
  EXPECT_EQ(split.train.targets[9], 1.0f);
}

TEST_F(HostFashionMnist, NamesAMissingFileOrDirectory) {
  write_all();
  fs::remove(dir_ / "t10k-labels-idx1-ubyte.gz");
  EXPECT_FALSE(fashion_mnist_present(dir_));
  expect_rejected("t10k-labels-idx1-ubyte");
  fs::remove_all(dir_.path());
  expect_rejected("does not exist");
}

TEST_F(HostFashionMnist, NamesAMalformedFile) {
  write_all();
  write_gzip("train-images-idx3-ubyte.gz", {'g', 'a', 'r', 'b', 'a', 'g', 'e'});
  expect_rejected((dir_ / "train-images-idx3-ubyte.gz").string());
}

}  // namespace
}  // namespace lossbench
