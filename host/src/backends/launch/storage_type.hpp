#pragma once
// How a launcher picks a kernel template for a call's storage dtype: the one
// place where the host's DType meets the device's element types.
#include "kernels/common/element_types.cuh"
#include "lossbench/core/dtype.hpp"

namespace lossbench::kernels {

/// Calls f.template operator()<T>() with T the storage type of `dtype`:
/// float, __half or __nv_bfloat16. How host code picks a kernel template.
template <class F>
void with_storage_type(DType dtype, F&& f) {
  switch (dtype) {
    case DType::f32: return f.template operator()<float>();
    case DType::f16: return f.template operator()<__half>();
    case DType::bf16: return f.template operator()<__nv_bfloat16>();
  }
}

}  // namespace lossbench::kernels
