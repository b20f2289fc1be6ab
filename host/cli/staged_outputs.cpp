#include "staged_outputs.hpp"

#include <cstring>

namespace lossbench::cli {

void StagedOutputs::add(const std::string& path, const npy::Array& array) {
  AtomicFile& file = files_.emplace_back(path);
  file.write(npy::serialize(array));
  file.finish();
}

void StagedOutputs::commit() {
  for (AtomicFile& file : files_) file.commit();
}

npy::Array reduced_loss_array(double value) {
  npy::Array scalar;
  scalar.type = npy::ElementType::f64;
  scalar.bytes.resize(sizeof(double));
  std::memcpy(scalar.bytes.data(), &value, sizeof(double));
  return scalar;
}

}  // namespace lossbench::cli
