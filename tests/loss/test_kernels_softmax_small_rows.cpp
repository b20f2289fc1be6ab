// The small-V softmax cross-entropy kernel (kernels/loss/softmax_small_rows.cuh),
// run by the emulator from the same source nvcc compiles: every output
// against the double-precision reference within the bounds of
// softmax_bounds.hpp (plus the rounding to the storage type), over V ∈ {1,
// 2, 3, 10, 16, 31, 32}, rows around the tile, f32/f16/bf16, int32/int64
// labels with ignored rows and soft targets, ε and z-loss, extreme rows, in
// place; outputs poisoned and guarded (all written, nothing beyond); the
// same bits for every grid size and emulator schedule; 64-bit offsets.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "backends/launch/softmax_loss_launch.cuh"
#include "emu/options.hpp"
#include "lossbench/loss/softmax_bounds.hpp"
#include "softmax_kernel_cases.hpp"

namespace lossbench {
namespace {

namespace k = kernels;
using testing::CaseOptions;
using testing::Inputs;
using testing::make_inputs;
using testing::Outputs;

constexpr std::int64_t kTile = k::kSoftmaxSmallRowsTileRows;
constexpr std::int64_t kIgnore = testing::kSoftmaxTestIgnore;

// The launch of the small-rows kernel on the case's pretend device.
auto small_rows_launch(const CaseOptions& o) {
  return [capacity = o.capacity](const auto& p) {
    k::launch_softmax_small_rows(p, lossbench::default_stream(), [&](auto...) { return capacity; });
  };
}

template <class T, class Target>
Outputs<T> run_kernel(const Inputs<T, Target>& in, const CaseOptions& o, float grad_multiplier) {
  return testing::run_kernel(in, o, grad_multiplier, small_rows_launch(o));
}

// The state of a row: the rescale to the group max, then the butterfly. The
// reduced loss: float sums of at most 4·kLanes rows per thread and a
// 256-thread tree per tile (in double after).
template <class T, class Target>
void check_case(const CaseOptions& o) {
  const double lanes = static_cast<double>(std::bit_ceil(static_cast<unsigned>(o.classes)));
  testing::check_case<T, Target>(o, {pairwise_depth(o.classes) + 1, 4.0 * lanes + 9.0}, small_rows_launch(o));
}

// One storage type × target type: V × rows around a tile, the options
// cycling with the case so that every combination of ε, c, in place and
// extreme rows appears across V.
template <class T, class Target>
void sweep() {
  constexpr bool kSoft = k::kSoftTargets<Target>;
  int index = 0;
  for (const int v : {1, 2, 3, 10, 16, 31, 32}) {
    for (const std::int64_t rows : {std::int64_t{0}, std::int64_t{1}, kTile - 1, kTile + 1}) {
      CaseOptions o;
      o.classes = v;
      o.rows = rows;
      o.eps = kSoft || index % 2 == 0 ? 0.0f : 0.1f;
      o.z_loss = kSoft || index / 2 % 2 == 0 ? 0.0f : 1e-4f;
      o.extreme = index % 3 != 0;
      o.in_place = index % 4 >= 2;
      o.mean = index % 5 < 2;
      o.seed = static_cast<std::uint64_t>(1000 + index);
      check_case<T, Target>(o);
      ++index;
    }
  }
}

TEST(KernelsSoftmaxSmallRows, F32Int32Labels) { sweep<float, std::int32_t>(); }
TEST(KernelsSoftmaxSmallRows, F32Int64Labels) { sweep<float, std::int64_t>(); }
TEST(KernelsSoftmaxSmallRows, F32SoftTargets) { sweep<float, float>(); }
TEST(KernelsSoftmaxSmallRows, F16Int32Labels) { sweep<__half, std::int32_t>(); }
TEST(KernelsSoftmaxSmallRows, F16Int64Labels) { sweep<__half, std::int64_t>(); }
TEST(KernelsSoftmaxSmallRows, F16SoftTargets) { sweep<__half, __half>(); }
TEST(KernelsSoftmaxSmallRows, Bf16Int32Labels) { sweep<__nv_bfloat16, std::int32_t>(); }
TEST(KernelsSoftmaxSmallRows, Bf16Int64Labels) { sweep<__nv_bfloat16, std::int64_t>(); }
TEST(KernelsSoftmaxSmallRows, Bf16SoftTargets) { sweep<__nv_bfloat16, __nv_bfloat16>(); }

// Every option combination at the Fashion-MNIST width, exactly one tile and
// several tiles with a tail.
TEST(KernelsSoftmaxSmallRows, EveryOptionAtTenClassesOverSeveralTiles) {
  for (const std::int64_t rows : {kTile, 3 * kTile + 17}) {
    for (const float eps : {0.0f, 0.1f}) {
      for (const float c : {0.0f, 1e-4f}) {
        CaseOptions o;
        o.rows = rows;
        o.eps = eps;
        o.z_loss = c;
        o.extreme = true;
        o.in_place = c != 0.0f;
        o.mean = eps != 0.0f;
        check_case<__half, std::int64_t>(o);
      }
    }
  }
  CaseOptions o;
  o.rows = 3 * kTile + 17;
  o.classes = 32;
  check_case<float, float>(o);
  o.ignore = false;
  check_case<__nv_bfloat16, std::int32_t>(o);
}

TEST(KernelsSoftmaxSmallRows, EveryRowIgnoredCountsNothing) {
  CaseOptions o;
  o.rows = 40;
  const Inputs<float, std::int32_t> base = make_inputs<float, std::int32_t>(o);
  Inputs<float, std::int32_t> in = base;
  std::fill(in.targets.begin(), in.targets.end(), static_cast<std::int32_t>(kIgnore));
  const Outputs<float> out = run_kernel(in, o, 1.0f);
  EXPECT_EQ(out.counted, 0);
  EXPECT_EQ(out.reduced, 0.0);
  for (std::size_t i = 0; i < 400; ++i) ASSERT_EQ(out.grad.at(i), 0.0) << "element " << i;
}

// A NaN logit makes its row's loss, gradient and entropy NaN, and the sum;
// a label outside [0, V) that is not ignore_index makes its row NaN.
TEST(KernelsSoftmaxSmallRows, NaNLogitAndInvalidLabelGiveNaNRows) {
  CaseOptions o;
  o.rows = 6;
  o.ignore = false;
  for (const int bad : {0, 1}) {
    Inputs<float, std::int32_t> in = make_inputs<float, std::int32_t>(o);
    if (bad == 0) in.logits[2 * 10 + 7] = std::numeric_limits<float>::quiet_NaN();
    if (bad == 1) in.targets[2] = 10;
    const Outputs<float> out = run_kernel(in, o, 1.0f);
    EXPECT_TRUE(std::isnan(out.row_loss.at(2)) && std::isnan(out.reduced)) << "case " << bad;
    for (std::size_t j = 0; j < 10; ++j) EXPECT_TRUE(std::isnan(out.grad.at(20 + j))) << "case " << bad << " j " << j;
    EXPECT_FALSE(std::isnan(out.row_loss.at(1)) || std::isnan(out.row_loss.at(3)) || std::isnan(out.grad.at(19)) ||
                 std::isnan(out.grad.at(30)))
        << "NaN leaked to a neighbouring row, case " << bad;
    if (bad == 0) {
      EXPECT_TRUE(std::isnan(out.entropy.at(2)));
    }
  }
}

TEST(KernelsSoftmaxSmallRows, ClassesOutsideOneToThirtyTwoAreRefused) {
  for (const int v : {0, 33}) {
    k::SoftmaxRowsParams<float, k::ClassIndices> p;
    p.classes = v;
    EXPECT_THROW(k::launch_softmax_small_rows(p, lossbench::default_stream(), [](auto...) { return k::DeviceCapacity{}; }),
                 InputError);
  }
}

// The same bits of every output for every grid size, emulator schedule and
// number of CPU threads running blocks.
TEST(KernelsSoftmaxSmallRows, SameBitsForEveryGridSizeAndSchedule) {
  CaseOptions o;
  o.rows = 5 * kTile + 77;
  o.eps = 0.1f;
  o.z_loss = 1e-4f;
  const Inputs<float, std::int64_t> in = make_inputs<float, std::int64_t>(o);
  struct Run {
    k::DeviceCapacity capacity;
    emu::Schedule schedule;
    unsigned workers;
  };
  const std::vector<Run> runs = {
      {{1, 1}, {emu::Schedule::Kind::forward, 0}, 1},  {{3, 1}, {emu::Schedule::Kind::reverse, 0}, 1},
      {{4, 2}, {emu::Schedule::Kind::random, 1}, 2},   {{7, 3}, {emu::Schedule::Kind::random, 2}, 2},
      {{132, 4}, {emu::Schedule::Kind::random, 3}, 2},
  };
  std::vector<unsigned char> first_grad, first_loss, first_entropy;
  double first_reduced = 0;
  for (const Run& run : runs) {
    emu::set_schedule(run.schedule);
    emu::set_workers(run.workers);
    o.capacity = run.capacity;
    const Outputs<float> out = run_kernel(in, o, 0.5f);
    const std::string where = "grid " + std::to_string(run.capacity.sm_count * run.capacity.blocks_per_sm) +
                              " schedule " + run.schedule.to_string() + " workers " + std::to_string(run.workers);
    if (first_grad.empty()) {
      first_grad = out.grad.payload();
      first_loss = out.row_loss.payload();
      first_entropy = out.entropy.payload();
      first_reduced = out.reduced;
      continue;
    }
    EXPECT_EQ(std::memcmp(&out.reduced, &first_reduced, sizeof(double)), 0) << where;
    EXPECT_EQ(out.grad.payload(), first_grad) << where;
    EXPECT_EQ(out.row_loss.payload(), first_loss) << where;
    EXPECT_EQ(out.entropy.payload(), first_entropy) << where;
  }
  emu::set_schedule({});
  emu::set_workers(1);
}

}  // namespace

namespace kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {
// The kernel's own tile function on one tile starting at row `first` of a
// virtual array whose pointers are shifted so that only that tile is real.
__global__ void softmax_small_rows_offset_tile(SoftmaxRowsParams<float, ClassIndices> p, std::int64_t first) {
  int count = 0;
  small_rows_tile<16, false>(p, 1.0f, first, static_cast<int>(threadIdx.x), count);
}
}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace kernels

namespace {

// Row 2^37 + 3 tiles at V = 10: element offsets beyond 2^40. A 32-bit product
// anywhere in the index math would read or write the wrong memory.
TEST(KernelsSoftmaxSmallRows, RowsBeyondTwoToTheThirtySevenUse64BitOffsets) {
  CaseOptions o;
  o.rows = kTile;
  const Inputs<float, std::int32_t> in = make_inputs<float, std::int32_t>(o);
  const std::int64_t first = (std::int64_t{1} << 37) + 3 * kTile;
  Outputs<float> out(static_cast<std::size_t>(kTile * 10), static_cast<std::size_t>(kTile), false);
  k::SoftmaxRowsParams<float, k::ClassIndices> p;
  p.logits = in.logits.data() - first * 10;
  p.targets = in.targets.data() - first;
  p.grad = out.grad.data() - first * 10;
  p.row_loss = out.row_loss.data() - first;
  p.row_entropy = out.entropy.data() - first;
  p.rows = first + kTile;
  p.classes = 10;
  p.ignore_index = kIgnore;
  lossbench::launch(&k::softmax_small_rows_offset_tile, dim3(1), dim3(k::kSoftmaxSmallRowsBlockThreads), 0,
                    lossbench::default_stream(), p, first);
  // Against a launch of the same rows at offset 0.
  const Outputs<float> expected = run_kernel(in, o, 1.0f);
  EXPECT_EQ(out.grad.payload(), expected.grad.payload());
  EXPECT_EQ(out.row_loss.payload(), expected.row_loss.payload());
  EXPECT_EQ(out.entropy.payload(), expected.entropy.payload());
  EXPECT_TRUE(out.grad.guards_intact() && out.row_loss.guards_intact() && out.entropy.guards_intact());
}

}  // namespace
}  // namespace lossbench
