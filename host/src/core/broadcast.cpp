#include "lossbench/core/broadcast.hpp"

#include <string>
#include <vector>

#include "lossbench/core/error.hpp"

namespace lossbench {

std::string shape_string(std::span<const std::int64_t> shape) {
  std::string s = "(";
  for (std::size_t a = 0; a < shape.size(); ++a) {
    if (a > 0) s += ", ";
    s += std::to_string(shape[a]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

BroadcastLayout broadcast_layout(std::span<const std::int64_t> input_shape,
                                 std::span<const std::int64_t> operand_shape, std::string_view what) {
  const auto refuse = [&](const std::string& why) {
    throw InputError(std::string(what) + " of shape " + shape_string(operand_shape) +
                     " does not broadcast to the input's shape " + shape_string(input_shape) + ": " + why);
  };
  if (operand_shape.size() > input_shape.size()) refuse("it has more axes than the input");
  for (const std::int64_t e : input_shape) {
    if (e < 0) refuse("a negative extent");
  }
  // Per input axis, the operand's stride (C order), 0 where it broadcasts.
  const std::size_t lead = input_shape.size() - operand_shape.size();
  std::vector<std::int64_t> stride(input_shape.size(), 0);
  std::int64_t step = 1;
  for (std::size_t a = input_shape.size(); a-- > lead;) {
    const std::int64_t extent = operand_shape[a - lead];
    if (extent < 0) refuse("a negative extent");
    if (extent != 1 && extent != input_shape[a]) {
      refuse("axis " + std::to_string(a - lead) + " has " + std::to_string(extent) + " where the input has " +
             std::to_string(input_shape[a]) + " (expected " + std::to_string(input_shape[a]) + " or 1)");
    }
    stride[a] = extent == 1 ? 0 : step;
    step *= extent;
  }
  // Drop extent-1 axes; merge an axis into the one before it when both read
  // alike (both broadcast, or contiguous with each other).
  BroadcastLayout layout;
  std::vector<std::int64_t> extents, strides;
  for (std::size_t a = 0; a < input_shape.size(); ++a) {
    if (input_shape[a] == 1) continue;
    if (!extents.empty()) {
      const bool both_broadcast = strides.back() == 0 && stride[a] == 0;
      const bool contiguous = stride[a] != 0 && strides.back() == stride[a] * input_shape[a];
      if (both_broadcast || contiguous) {
        extents.back() *= input_shape[a];
        strides.back() = stride[a];
        continue;
      }
    }
    extents.push_back(input_shape[a]);
    strides.push_back(stride[a]);
  }
  if (extents.size() > BroadcastLayout::kMaxAxes) {
    refuse("the pattern has " + std::to_string(extents.size()) + " alternating runs of broadcast axes, more than " +
           std::to_string(BroadcastLayout::kMaxAxes));
  }
  // An all-broadcast operand is one value: no axis.
  if (extents.size() == 1 && strides[0] == 0) {
    extents.clear();
    strides.clear();
  }
  layout.axes = static_cast<int>(extents.size());
  for (int a = 0; a < layout.axes; ++a) {
    layout.extent[a] = extents[a];
    layout.stride[a] = strides[a];
  }
  return layout;
}

std::int64_t broadcast_operand_elements(const BroadcastLayout& layout) {
  std::int64_t last = 0;
  for (int a = 0; a < layout.axes; ++a) {
    if (layout.extent[a] == 0) return 0;
    last += (layout.extent[a] - 1) * layout.stride[a];
  }
  return last + 1;
}

std::int64_t broadcast_input_elements(const BroadcastLayout& layout) {
  std::int64_t n = 1;
  for (int a = 0; a < layout.axes; ++a) n *= layout.extent[a];
  return n;
}

}  // namespace lossbench
