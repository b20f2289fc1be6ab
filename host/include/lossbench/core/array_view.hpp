#pragma once
// Untyped views of contiguous arrays whose element type is a runtime DType.
#include <cstdint>

#include "lossbench/core/dtype.hpp"

namespace lossbench {

/// A read-only contiguous array of `size` elements of `dtype` starting at `data`.
struct ConstArrayView {
  const void* data = nullptr;
  DType dtype = DType::f32;
  std::int64_t size = 0;
};

/// A writable contiguous array of `size` elements of `dtype` starting at `data`.
struct ArrayView {
  void* data = nullptr;
  DType dtype = DType::f32;
  std::int64_t size = 0;

  operator ConstArrayView() const { return {data, dtype, size}; }
};

}  // namespace lossbench
