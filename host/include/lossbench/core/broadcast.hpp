#pragma once
// An operand broadcast over an input, as PyTorch broadcasts a `weight`: the
// operand's shape is aligned with the input's at the last axis, and each of
// its axes either matches the input's or is 1 (read again along that axis).
// In a kernel a broadcast is a stride pattern, not a materialised copy:
// element i of the input (C order) reads the operand at
//   offset(i) = Σ_a coordinate_a(i) · stride[a]
// over the input's axes, with stride 0 where the operand broadcasts. Axes of
// extent 1 are dropped and neighbouring axes that read alike are merged, so
// that the common cases are short: the same shape is one axis of stride 1,
// a per-class vector over (rows, C) is (rows: 0, C: 1), a scalar no axis.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#if defined(__CUDACC__)
#define LOSSBENCH_HOST_DEVICE __host__ __device__
#else
#define LOSSBENCH_HOST_DEVICE
#endif

namespace lossbench {

struct BroadcastLayout {
  /// Merged axes beyond this many are refused (InputError): they would need
  /// operand shapes alternating 1 and not-1 five times.
  static constexpr int kMaxAxes = 4;
  int axes = 0;  // 0: one value for every element
  std::int64_t extent[kMaxAxes] = {};  // the input's extents, outermost first
  std::int64_t stride[kMaxAxes] = {};  // the operand's element strides, 0 where it broadcasts

  /// offset(i) == i: the operand has the input's shape.
  LOSSBENCH_HOST_DEVICE bool same_shape() const { return axes == 1 && stride[0] == 1; }
};

/// The operand element that input element i reads. Unrolled over kMaxAxes
/// with constant indices, so that a kernel keeps the layout in registers or
/// parameter space (no local memory).
LOSSBENCH_HOST_DEVICE inline std::int64_t broadcast_offset(const BroadcastLayout& layout, std::int64_t i) {
  if (layout.axes <= 1) return layout.axes == 0 ? 0 : i * layout.stride[0];  // i < extent[0]
  std::int64_t offset = 0;
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
  for (int a = BroadcastLayout::kMaxAxes - 1; a >= 0; --a) {
    if (a < layout.axes) {
      offset += (i % layout.extent[a]) * layout.stride[a];
      i /= layout.extent[a];
    }
  }
  return offset;
}

/// The layout by which an operand of `operand_shape` broadcasts over an
/// input of `input_shape` (both C order, PyTorch's rules). Throws
/// InputError naming `what`, both shapes and the first axis that does not
/// broadcast, or an operand with more axes than the input.
BroadcastLayout broadcast_layout(std::span<const std::int64_t> input_shape,
                                 std::span<const std::int64_t> operand_shape, std::string_view what);

/// Elements the operand must hold: 1 + the largest offset (0 for no input elements).
std::int64_t broadcast_operand_elements(const BroadcastLayout& layout);

/// Elements of an input the layout describes: the product of its extents
/// (1 for no axis: it fits any input).
std::int64_t broadcast_input_elements(const BroadcastLayout& layout);

/// "(2, 3)", the way PyTorch prints a shape ("()" for a scalar).
std::string shape_string(std::span<const std::int64_t> shape);

}  // namespace lossbench
