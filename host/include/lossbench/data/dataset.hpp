#pragma once
// A labelled classification data set in the layout train_step() reads:
// inputs X (n × d, float32, row-major), the class of each row, and the same
// classes as one-hot targets Y (n × k), the sigmoid outputs' goal. A data set
// read from images also keeps their pixels, X's uint8 form (x = v / 255,
// kernels/train/train_inputs.cuh), a quarter of the bytes for the trainer.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lossbench {

struct Dataset {
  std::vector<float> inputs;          // X: count() × d
  std::vector<std::uint8_t> labels;   // each < k
  std::vector<float> targets;         // Y: count() × k, one-hot (1 at the label, 0 elsewhere)
  int d = 0;                          // inputs per row
  int k = 0;                          // classes, one sigmoid output each
  std::vector<std::uint8_t> pixels;   // count() × d with inputs[i] = v / 255 as float; or empty
  std::size_t count() const { return labels.size(); }
};

/// A training set and a test set with the same d and k, and where they came
/// from (a directory, or "synthetic (...)") for the user to see.
struct DatasetSplit {
  Dataset train;
  Dataset test;
  std::string source;
};

/// Builds a Dataset from inputs and labels, deriving the one-hot targets.
/// Throws InputError when the sizes disagree or a label is not below k.
Dataset make_dataset(std::vector<float> inputs, std::vector<std::uint8_t> labels, int d, int k);

/// make_dataset from pixels: inputs are v / 255 as the kernels compute it, and the pixels are kept.
Dataset make_pixel_dataset(std::vector<std::uint8_t> pixels, std::vector<std::uint8_t> labels, int d, int k);

/// The first `count` examples of `data` (all of them when count ≥ data.count()).
/// Throws InputError for count 0: training on nothing is a mistake, not a no-op.
Dataset first_examples(const Dataset& data, std::size_t count);

}  // namespace lossbench
