#pragma once
// Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 28 × 28 grey images of
// clothing in 10 classes, 60000 for training and 10000 for testing, as IDX
// files (gzip-compressed or not). Debian's dataset-fashion-mnist installs
// them in kFashionMnistDefaultDirectory.
#include <filesystem>

#include "lossbench/data/dataset.hpp"

namespace lossbench {

inline constexpr const char* kFashionMnistDefaultDirectory = "/usr/share/datasets/fashion-mnist";
inline constexpr int kFashionMnistClasses = 10;

/// Whether `directory` holds the four files (each as NAME or NAME.gz).
bool fashion_mnist_present(const std::filesystem::path& directory);

/// Reads train-{images-idx3,labels-idx1}-ubyte[.gz] and t10k-... from
/// `directory`. Inputs are pixel / 255, in [0, 1]: the scale at which a
/// learning rate near 1 is stable for a single sigmoid layer. Throws
/// InputError naming the directory or file when one is missing or malformed.
DatasetSplit load_fashion_mnist(const std::filesystem::path& directory);

}  // namespace lossbench
