#pragma once
// Whole arrays of a storage dtype to and from doubles, for the ref backend:
// loaded exactly, stored rounded once (to nearest even). Internal.
#include <cstddef>
#include <vector>

#include "lossbench/core/dtype.hpp"

namespace lossbench::detail {

inline std::vector<double> load_all(const void* data, DType dtype, std::size_t count) {
  std::vector<double> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = load_as_double(data, dtype, i);
  return values;
}

/// values[i]·multiplier (in double), each rounded once to `dtype`.
inline void store_all(void* data, DType dtype, const std::vector<double>& values, double multiplier = 1.0) {
  for (std::size_t i = 0; i < values.size(); ++i) store_from_double(data, dtype, i, values[i] * multiplier);
}

}  // namespace lossbench::detail
