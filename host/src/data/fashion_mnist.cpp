#include "lossbench/data/fashion_mnist.hpp"

#include <string>

#include "lossbench/core/error.hpp"
#include "lossbench/data/idx.hpp"

namespace lossbench {
namespace {

namespace fs = std::filesystem;

// The file for `stem` in `directory`: the .gz that Debian ships, else the
// uncompressed file that the original download unpacks to; empty if neither.
fs::path find_file(const fs::path& directory, const std::string& stem) {
  for (const fs::path& candidate : {directory / (stem + ".gz"), directory / stem}) {
    std::error_code error;
    if (fs::is_regular_file(candidate, error)) return candidate;
  }
  return {};
}

fs::path require_file(const fs::path& directory, const std::string& stem) {
  fs::path file = find_file(directory, stem);
  if (file.empty()) {
    throw InputError("Fashion-MNIST directory " + directory.string() + " has no " + stem + " (or " + stem + ".gz)");
  }
  return file;
}

Dataset load_part(const fs::path& directory, const std::string& part) {
  const fs::path images = require_file(directory, part + "-images-idx3-ubyte");
  const fs::path labels = require_file(directory, part + "-labels-idx1-ubyte");
  idx::LabelledImages set = idx::read_labelled_images(images, labels, kFashionMnistClasses);
  const auto pixels_per_image = static_cast<std::size_t>(set.rows) * set.cols;
  if (pixels_per_image == 0) throw InputError(images.string() + ": images of 0 pixels");
  return make_pixel_dataset(std::move(set.pixels), std::move(set.labels), static_cast<int>(pixels_per_image),
                            kFashionMnistClasses);
}

}  // namespace

bool fashion_mnist_present(const fs::path& directory) {
  for (const char* stem : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                           "t10k-labels-idx1-ubyte"}) {
    if (find_file(directory, stem).empty()) return false;
  }
  return true;
}

DatasetSplit load_fashion_mnist(const fs::path& directory) {
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    throw InputError("Fashion-MNIST directory " + directory.string() + " does not exist or is not a directory");
  }
  DatasetSplit split;
  split.train = load_part(directory, "train");
  split.test = load_part(directory, "t10k");
  if (split.train.d != split.test.d) {
    throw InputError("Fashion-MNIST directory " + directory.string() + ": training images have " +
                     std::to_string(split.train.d) + " pixels but test images " + std::to_string(split.test.d));
  }
  split.source = directory.string();
  return split;
}

}  // namespace lossbench
