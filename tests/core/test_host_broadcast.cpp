// broadcast_layout: PyTorch's broadcasting of an operand (a weight) over an
// input, as a stride pattern. Every layout is checked against the offsets
// computed the long way (each coordinate times the operand's C-order
// stride, 0 where it broadcasts), and every shape that does not broadcast is
// an InputError naming both shapes.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "common/expect_input_error.hpp"
#include "lossbench/core/broadcast.hpp"
#include "lossbench/core/error.hpp"

namespace lossbench {
namespace {

using Shape = std::vector<std::int64_t>;

// The operand element that input element i reads, coordinate by coordinate.
std::int64_t long_way_offset(const Shape& input, const Shape& operand, std::int64_t i) {
  const std::size_t lead = input.size() - operand.size();
  std::int64_t offset = 0;
  std::int64_t stride = 1;
  for (std::size_t a = input.size(); a-- > 0;) {
    const std::int64_t coordinate = i % input[a];
    i /= input[a];
    if (a < lead) continue;
    const std::int64_t extent = operand[a - lead];
    if (extent != 1) offset += coordinate * stride;
    stride *= extent;
  }
  return offset;
}

std::int64_t elements(const Shape& s) {
  std::int64_t n = 1;
  for (const std::int64_t e : s) n *= e;
  return n;
}

void expect_same_offsets(const Shape& input, const Shape& operand) {
  const BroadcastLayout layout = broadcast_layout(input, operand, "w");
  const std::int64_t n = elements(input);
  EXPECT_EQ(broadcast_input_elements(layout), layout.axes == 0 ? 1 : n) << shape_string(operand);
  EXPECT_EQ(broadcast_operand_elements(layout), n == 0 ? 0 : elements(operand)) << shape_string(operand);
  for (std::int64_t i = 0; i < n; ++i) {
    ASSERT_EQ(broadcast_offset(layout, i), long_way_offset(input, operand, i))
        << shape_string(operand) << " over " << shape_string(input) << " at " << i;
  }
}

TEST(HostBroadcast, CommonShapesCollapseToShortPatterns) {
  const Shape input{5, 7};
  const BroadcastLayout same = broadcast_layout(input, input, "w");
  EXPECT_TRUE(same.same_shape());
  const BroadcastLayout scalar = broadcast_layout(input, Shape{}, "w");
  EXPECT_EQ(scalar.axes, 0);
  EXPECT_EQ(broadcast_layout(input, Shape{1}, "w").axes, 0);
  EXPECT_EQ(broadcast_layout(input, Shape{1, 1}, "w").axes, 0);
  const BroadcastLayout per_class = broadcast_layout(input, Shape{7}, "w");
  ASSERT_EQ(per_class.axes, 2);
  EXPECT_EQ(per_class.stride[0], 0);
  EXPECT_EQ(per_class.stride[1], 1);
  const BroadcastLayout per_row = broadcast_layout(input, Shape{5, 1}, "w");
  ASSERT_EQ(per_row.axes, 2);
  EXPECT_EQ(per_row.stride[0], 1);
  EXPECT_EQ(per_row.stride[1], 0);
  // Extent-1 axes of the input are dropped; (2, 1, 3, 4) against (3, 4) is per class of 12.
  const BroadcastLayout merged = broadcast_layout(Shape{2, 1, 3, 4}, Shape{3, 4}, "w");
  ASSERT_EQ(merged.axes, 2);
  EXPECT_EQ(merged.extent[1], 12);
}

TEST(HostBroadcast, EveryBroadcastableShapeReadsWhatTheLongWayReads) {
  for (const Shape& operand : {Shape{2, 3, 4}, Shape{3, 4}, Shape{4}, Shape{1}, Shape{}, Shape{2, 1, 4},
                               Shape{2, 3, 1}, Shape{1, 3, 1}, Shape{1, 3, 4}, Shape{2, 1, 1}, Shape{3, 1}}) {
    expect_same_offsets(Shape{2, 3, 4}, operand);
  }
  // Random shapes of up to 5 axes, each operand axis kept or 1, at random.
  std::mt19937 rng(20261207);
  for (int trial = 0; trial < 300; ++trial) {
    Shape input(1 + rng() % 5);
    for (auto& e : input) e = 1 + rng() % 4;
    Shape operand(input.begin() + static_cast<std::ptrdiff_t>(rng() % input.size()), input.end());
    for (auto& e : operand) {
      if (rng() % 2) e = 1;
    }
    try {
      expect_same_offsets(input, operand);
    } catch (const InputError& e) {
      // Only a pattern beyond kMaxAxes may be refused, and it says so.
      EXPECT_NE(std::string(e.what()).find("alternating runs"), std::string::npos) << e.what();
    }
  }
}

TEST(HostBroadcast, AShapeThatDoesNotBroadcastNamesBothShapes) {
  testing::expect_input_error([] { broadcast_layout(Shape{5, 7}, Shape{6}, "w.npy: the weight"); },
                              "w.npy: the weight of shape (6,) does not broadcast to the input's shape (5, 7): "
                              "axis 0 has 6 where the input has 7 (expected 7 or 1)");
  testing::expect_input_error([] { broadcast_layout(Shape{7}, Shape{2, 7}, "w"); }, "more axes than the input");
  testing::expect_input_error([] { broadcast_layout(Shape{2, 3, 2, 3, 2, 3, 2, 3, 2}, Shape{3, 1, 3, 1, 3, 1, 3, 1}, "w"); },
                              "alternating runs");
  EXPECT_EQ(shape_string(Shape{}), "()");
  EXPECT_EQ(shape_string(Shape{3}), "(3,)");
  EXPECT_EQ(shape_string(Shape{2, 3}), "(2, 3)");
}

}  // namespace
}  // namespace lossbench
