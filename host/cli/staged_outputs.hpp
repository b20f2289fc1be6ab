#pragma once
// The output files of one `lossbench loss` run, replaced together: every one
// is complete in its temporary file before any is renamed into place, so
// that a failure writing one leaves every old file as it was. (Only a
// failing rename, after the checks at creation, could put one in place
// without the others.)
#include <deque>
#include <string>

#include "lossbench/data/atomic_file.hpp"
#include "lossbench/data/npy.hpp"

namespace lossbench::cli {

class StagedOutputs {
 public:
  /// Serialises `array` into a temporary file beside `path`, complete and
  /// closed; throws InputError (path and reason) if it cannot.
  void add(const std::string& path, const npy::Array& array);
  /// Renames every staged file into place, in the order added.
  void commit();

 private:
  std::deque<AtomicFile> files_;  // a deque: AtomicFile cannot move
};

/// A reduced loss as the 0-d float64 array --loss-out writes: the printed
/// double, exactly.
npy::Array reduced_loss_array(double value);

}  // namespace lossbench::cli
