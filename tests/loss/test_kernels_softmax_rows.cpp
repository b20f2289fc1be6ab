// The softmax kernels for rows of more than 32 classes, a warp per row
// (kernels/loss/softmax_warp_rows.cuh) and a block per row
// (kernels/loss/softmax_block_rows.cuh), run by the emulator from the same
// source nvcc compiles: every output against the double-precision reference
// within softmax_bounds.hpp's bounds (plus the rounding to the storage type),
// over V ∈ {33, 64, 100, 1000, 1024, 1025, 2049, 4097, 8193, 16385,
// 32768, 131072}, rows around the tile, f32/f16/bf16, int32/int64 labels with
// ignored rows, probability rows (smoothed), KL with its per-element loss, ε
// and z-loss, extreme rows, in place, no entropy, loss only; outputs
// poisoned and guarded; NaN rows; the same bits for every grid size,
// emulator schedule, worker count and amount of staging (registers, shared
// memory, two passes); 64-bit offsets.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "backends/launch/kernel_shapes.hpp"
#include "backends/launch/softmax_block_rows_launch.cuh"
#include "backends/launch/softmax_loss_launch.cuh"
#include "backends/launch/softmax_warp_rows_launch.cuh"
#include "emu/options.hpp"
#include "kernels/loss/softmax_loss_tiling.hpp"
#include "lossbench/loss/softmax_loss.hpp"
#include "lossbench/reference/softmax_reference.hpp"
#include "softmax_kernel_cases.hpp"

namespace lossbench {
namespace {

namespace k = kernels;
using testing::CaseOptions;
using testing::Inputs;
using testing::make_inputs;
using testing::Outputs;

constexpr std::int64_t kIgnore = testing::kSoftmaxTestIgnore;

// The launch of the kernel for V on the case's pretend device, staging at
// most max_stage_bytes of a long row in shared memory.
auto rows_launch(const CaseOptions& o, std::size_t max_stage_bytes = k::kSoftmaxStageAsDeviceAllows) {
  return [capacity = o.capacity, max_stage_bytes](const auto& p) {
    const auto capacity_of = [&](auto...) { return capacity; };
    if (k::softmax_kernel_for(p.classes).kernel == k::SoftmaxRowsKernel::warp_rows) {
      k::launch_softmax_warp_rows(p, lossbench::default_stream(), capacity_of);
    } else {
      k::launch_softmax_block_rows(p, lossbench::default_stream(), capacity_of, max_stage_bytes);
    }
  };
}

template <class T, class Target>
Outputs<T> run_kernel(const Inputs<T, Target>& in, const CaseOptions& o, float grad_multiplier,
                      std::size_t max_stage_bytes = k::kSoftmaxStageAsDeviceAllows) {
  return testing::run_kernel(in, o, grad_multiplier, rows_launch(o, max_stage_bytes));
}

// k of the row state for V: an item's rescale to its thread's chunk max,
// the thread's adds over its items in the chunk, one combine per chunk, the
// warp's rescale and five levels, then (a block per row) the rescale and
// up to four levels over the warps; generously rounded up. The row losses reach
// a tile's partial through at most 8 adds in one thread and a block tree.
testing::KernelShape rows_shape(std::int64_t classes) {
  const k::SoftmaxKernelChoice choice = k::softmax_kernel_for(classes);
  const std::int64_t chunks = (classes + k::kSoftmaxBlockRowsChunk - 1) / k::kSoftmaxBlockRowsChunk;
  return {choice.items + chunks + 16, 48.0};
}

template <class T, class Target>
void check_case(const CaseOptions& o) {
  testing::check_case<T, Target>(o, rows_shape(o.classes), rows_launch(o));
}

// One storage type × target type: V × rows around its tile, the options
// cycling with the case so that each of ε, c, in place, extreme rows, KL,
// the entropy and the gradient on or off appears for both kernels.
template <class T, class Target>
void sweep() {
  constexpr bool kSoft = k::kSoftTargets<Target>;
  int index = 0;
  for (const std::int64_t v : {33, 64, 100, 1000, 1024, 1025, 2049, 4097, 8193, 16385, 32768}) {
    const std::int64_t tile = k::softmax_tile_rows(v);
    for (const std::int64_t rows : {std::int64_t{0}, std::int64_t{1}, tile - 1, tile + 1}) {
      if (rows == 0 && v > 100) continue;  // no rows: once per kernel is enough
      if (rows == tile - 1 && (tile <= 2 || v >= 32768)) continue;
      CaseOptions o;
      o.classes = v;
      o.rows = rows;
      o.eps = index % 2 == 0 ? 0.0f : 0.1f;
      o.z_loss = kSoft || index / 2 % 2 == 0 ? 0.0f : 1e-4f;
      o.extreme = index % 3 != 0;
      o.in_place = index % 4 >= 2;
      o.mean = index % 5 < 2;
      o.kl = kSoft && index % 3 == 1;
      o.entropy = index % 7 != 3;
      o.grad = index % 9 != 4;
      o.seed = static_cast<std::uint64_t>(2000 + index);
      check_case<T, Target>(o);
      ++index;
    }
  }
}

TEST(KernelsSoftmaxRows, F32Int32Labels) { sweep<float, std::int32_t>(); }
TEST(KernelsSoftmaxRows, F32Int64Labels) { sweep<float, std::int64_t>(); }
TEST(KernelsSoftmaxRows, F32SoftTargets) { sweep<float, float>(); }
TEST(KernelsSoftmaxRows, F16Int32Labels) { sweep<__half, std::int32_t>(); }
TEST(KernelsSoftmaxRows, F16Int64Labels) { sweep<__half, std::int64_t>(); }
TEST(KernelsSoftmaxRows, F16SoftTargets) { sweep<__half, __half>(); }
TEST(KernelsSoftmaxRows, Bf16Int32Labels) { sweep<__nv_bfloat16, std::int32_t>(); }
TEST(KernelsSoftmaxRows, Bf16Int64Labels) { sweep<__nv_bfloat16, std::int64_t>(); }
TEST(KernelsSoftmaxRows, Bf16SoftTargets) { sweep<__nv_bfloat16, __nv_bfloat16>(); }

// LLM vocabularies, a few rows: f32 stages 3 of 8 chunks and reads the
// other 4 twice; bf16 stages all 7 (Llama 3's 128256 fits); f32
// probability rows stage 1 (z and q take 128 KiB a chunk).
TEST(KernelsSoftmaxRows, VocabularyOf131072Classes) {
  CaseOptions o;
  o.classes = 131072;
  o.rows = 2;
  o.extreme = true;
  o.eps = 0.1f;
  o.z_loss = 1e-4f;
  o.mean = true;
  check_case<float, std::int64_t>(o);
  o.in_place = true;
  o.seed = 2;
  check_case<__nv_bfloat16, std::int32_t>(o);
  o.in_place = false;
  o.eps = 0.0f;
  o.seed = 3;
  o.kl = true;
  check_case<float, float>(o);
}

TEST(KernelsSoftmaxRows, EveryRowIgnoredCountsNothing) {
  for (const std::int64_t v : {100, 4097}) {
    CaseOptions o;
    o.classes = v;
    o.rows = 19;
    Inputs<float, std::int32_t> in = make_inputs<float, std::int32_t>(o);
    std::fill(in.targets.begin(), in.targets.end(), static_cast<std::int32_t>(kIgnore));
    const Outputs<float> out = run_kernel(in, o, 1.0f);
    EXPECT_EQ(out.counted, 0) << "V=" << v;
    EXPECT_EQ(out.reduced, 0.0) << "V=" << v;
    for (std::size_t i = 0; i < static_cast<std::size_t>(19 * v); ++i) {
      ASSERT_EQ(out.grad.at(i), 0.0) << "V=" << v << " element " << i;
    }
  }
}

// A NaN logit makes its row's loss, gradient and entropy NaN, and the sum;
// a label outside [0, V) that is not ignore_index makes its row NaN. The
// neighbouring rows stay numbers.
TEST(KernelsSoftmaxRows, NaNLogitAndInvalidLabelGiveNaNRows) {
  for (const std::int64_t v : {100, 4097, 40000}) {
    CaseOptions o;
    o.classes = v;
    o.rows = 4;
    o.ignore = false;
    for (const int bad : {0, 1, 2}) {
      Inputs<float, std::int32_t> in = make_inputs<float, std::int32_t>(o);
      if (bad == 0) in.logits[static_cast<std::size_t>(2 * v + v - 3)] = std::numeric_limits<float>::quiet_NaN();
      if (bad == 1) in.targets[2] = static_cast<std::int32_t>(v);
      if (bad == 2) in.targets[2] = -1;
      const Outputs<float> out = run_kernel(in, o, 1.0f);
      const std::string where = "V=" + std::to_string(v) + " case " + std::to_string(bad);
      EXPECT_TRUE(std::isnan(out.row_loss.at(2)) && std::isnan(out.reduced)) << where;
      for (std::size_t j = 0; j < static_cast<std::size_t>(v); ++j) {
        ASSERT_TRUE(std::isnan(out.grad.at(static_cast<std::size_t>(2 * v) + j))) << where << " j " << j;
      }
      const auto row3 = static_cast<std::size_t>(3 * v);
      EXPECT_FALSE(std::isnan(out.row_loss.at(1)) || std::isnan(out.row_loss.at(3)) || std::isnan(out.grad.at(row3 - v - 1)) ||
                   std::isnan(out.grad.at(row3)) || std::isnan(out.entropy.at(1)) || std::isnan(out.entropy.at(3)))
          << "NaN leaked to a neighbouring row, " << where;
      if (bad == 0) {
        EXPECT_TRUE(std::isnan(out.entropy.at(2))) << where;
      } else {
        EXPECT_FALSE(std::isnan(out.entropy.at(2))) << "the entropy does not depend on the label, " << where;
      }
    }
  }
}

TEST(KernelsSoftmaxRows, ClassesOutsideEachKernelAreRefused) {
  const auto capacity_of = [](auto...) { return k::DeviceCapacity{}; };
  for (const std::int64_t v : {32, 1025}) {
    k::SoftmaxRowsParams<float, k::ClassIndices> p;
    p.classes = v;
    EXPECT_THROW(k::launch_softmax_warp_rows(p, lossbench::default_stream(), capacity_of), InputError) << v;
  }
  k::SoftmaxRowsParams<float, float> p;
  p.classes = 1024;
  EXPECT_THROW(k::launch_softmax_block_rows(p, lossbench::default_stream(), capacity_of), InputError);
  k::SoftmaxRowsParams<float, k::ClassIndices> hard;
  hard.classes = 2000;
  hard.kl = true;
  EXPECT_THROW(k::launch_softmax_block_rows(hard, lossbench::default_stream(), capacity_of), InputError);
}

// The same bits of every output for every grid size, emulator schedule,
// number of CPU threads running blocks and, for a row longer than a chunk,
// every amount of it staged in shared memory (none: two passes; one chunk;
// as much as the device allows).
TEST(KernelsSoftmaxRows, SameBitsForEveryGridScheduleAndStaging) {
  struct Run {
    k::DeviceCapacity capacity;
    emu::Schedule schedule;
    unsigned workers;
    std::size_t max_stage_bytes;
  };
  const std::size_t chunk_bytes = k::softmax_block_rows_stage_bytes<float, k::ClassIndices>(1);
  const std::vector<Run> runs = {
      {{1, 1}, {emu::Schedule::Kind::forward, 0}, 1, k::kSoftmaxStageAsDeviceAllows},
      {{3, 1}, {emu::Schedule::Kind::reverse, 0}, 1, 0},
      {{4, 2}, {emu::Schedule::Kind::random, 1}, 2, chunk_bytes},
      {{132, 4}, {emu::Schedule::Kind::random, 3}, 2, 2 * chunk_bytes},
  };
  for (const std::int64_t v : {100, 4097, 50000}) {
    CaseOptions o;
    o.classes = v;
    o.rows = v == 100 ? 5 * 16 + 7 : v == 4097 ? 11 : 3;
    o.eps = 0.1f;
    o.z_loss = 1e-4f;
    o.extreme = true;
    const Inputs<float, std::int64_t> in = make_inputs<float, std::int64_t>(o);
    std::vector<unsigned char> first_grad, first_loss, first_entropy;
    double first_reduced = 0;
    for (const Run& run : runs) {
      emu::set_schedule(run.schedule);
      emu::set_workers(run.workers);
      o.capacity = run.capacity;
      const Outputs<float> out = run_kernel(in, o, 0.5f, run.max_stage_bytes);
      const std::string where = "V=" + std::to_string(v) + " grid " +
                                std::to_string(run.capacity.sm_count * run.capacity.blocks_per_sm) + " schedule " +
                                run.schedule.to_string() + " workers " + std::to_string(run.workers) +
                                " stage limit " + std::to_string(run.max_stage_bytes);
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
  }
  emu::set_schedule({});
  emu::set_workers(1);
}

// The two-pass path on its own against the reference, in place and with
// probability rows (the second pass re-reads z and q before writing g).
TEST(KernelsSoftmaxRows, TwoPassesInPlace) {
  CaseOptions o;
  o.classes = 40000;
  o.rows = 3;
  o.in_place = true;
  o.extreme = true;
  testing::check_case<float, std::int32_t>(o, rows_shape(o.classes), rows_launch(o, 0));
  o.eps = 0.05f;
  testing::check_case<__half, __half>(o, rows_shape(o.classes), rows_launch(o, 0));
}

// Through the launcher, as softmax_loss() on emu calls it: the kernel for V,
// the mean over the rows not ignored (counted on the device first; the
// gradient's multiplier reads that count), grad_scale, and the workspace's
// counters left at 0 for the next call (a second call gives the same bits).
TEST(KernelsSoftmaxRows, LauncherTakesTheMeanOverRowsNotIgnored) {
  for (const std::int64_t v : {100, 5000, 40000}) {
    CaseOptions o;
    o.classes = v;
    o.rows = 13;
    o.eps = 0.05f;
    const Inputs<float, std::int64_t> in = make_inputs<float, std::int64_t>(o);
    const auto elements = static_cast<std::size_t>(o.rows * v);
    std::vector<float> grad(elements), first_grad;
    double loss = 0.0;
    std::int64_t counted = -1;
    SoftmaxLossCall call;
    call.reduction = SoftmaxReduction::mean;
    call.logits = in.logits.data();
    call.targets = in.targets.data();
    call.targets_kind = SoftmaxTargets::class_index_i64;
    call.grad = grad.data();
    call.reduced_loss = &loss;
    call.counted_rows = &counted;
    call.rows = o.rows;
    call.classes = v;
    call.label_smoothing = o.eps;
    call.grad_scale = 2.0f;
    std::vector<unsigned char> workspace(k::softmax_loss_workspace_bytes(call), 0);
    const auto capacity_of = [](auto...) { return k::DeviceCapacity{4, 2}; };
    const reference::SoftmaxBatchResult expected = reference::softmax_ce_hard(
        in.logits_d, v, in.labels, {o.eps, 0.0, kIgnore}, Reduction::mean);
    for (int call_index = 0; call_index < 2; ++call_index) {
      k::launch_softmax_loss(call, workspace.data(), lossbench::default_stream(), capacity_of);
      const std::string where = "V=" + std::to_string(v) + " call " + std::to_string(call_index);
      EXPECT_EQ(counted, expected.counted_rows) << where;
      EXPECT_NEAR(loss, *expected.reduced_loss, 1e-5 * std::fabs(*expected.reduced_loss)) << where;
      // A wrong divisor or scale is off by a factor; check_case's bounds check the rest.
      double largest = 0.0;
      for (const double g : expected.grad) largest = std::max(largest, std::fabs(g));
      for (std::size_t i = 0; i < elements; ++i) {
        ASSERT_NEAR(grad[i], 2.0 * expected.grad[i], 1e-5 * largest) << where << " " << i;
      }
      if (call_index == 0) first_grad = grad;
      EXPECT_EQ(grad, first_grad) << where;
    }
  }
}

}  // namespace

namespace kernels {
inline namespace LOSSBENCH_KERNEL_NAMESPACE {
// The kernels' own row functions on rows [first, first + rows) of a virtual
// array whose pointers are shifted so that only those rows are real.
__global__ void softmax_warp_rows_offset_tile(SoftmaxRowsParams<float, ClassIndices> p, std::int64_t first) {
  int count = 0;
  warp_rows_batch<4, false>(p, 1.0f, first, static_cast<int>(threadIdx.x) / 32, static_cast<int>(threadIdx.x) % 32,
                            count);
}

__global__ void softmax_block_rows_offset_rows(SoftmaxRowsParams<float, ClassIndices> p, std::int64_t first,
                                               std::int64_t rows, int staged_chunks) {
  LOSSBENCH_SHARED(BlockStateStorage<kSoftmaxBlockRowsMaxThreads / 32>, states);
  LOSSBENCH_DYNAMIC_SHARED(float, stage_words);
  SoftmaxRowStage<float> stage{stage_words, nullptr, staged_chunks};
  for (std::int64_t row = first; row < first + rows; ++row) {
    bool counted = false;
    block_row<kSoftmaxBlockRowsMaxThreads, false>(p, 1.0f, row, static_cast<int>(threadIdx.x), states,
                                                  static_cast<int>(row % 2), stage, counted);
  }
}
}  // namespace LOSSBENCH_KERNEL_NAMESPACE
}  // namespace kernels

namespace {

// Shifted pointers: p.X − first·V, so that row `first` is the data's row 0.
template <class T, class Target>
testing::CaseParams<T, Target> shifted_params(const Inputs<T, Target>& in, Outputs<T>& out, std::int64_t first,
                                              std::int64_t rows, std::int64_t v) {
  testing::CaseParams<T, Target> p;
  p.logits = in.logits.data() - first * v;
  p.targets = in.targets.data() - first;
  p.grad = out.grad.data() - first * v;
  p.row_loss = out.row_loss.data() - first;
  p.row_entropy = out.entropy.data() - first;
  p.rows = first + rows;
  p.classes = v;
  p.ignore_index = kIgnore;
  return p;
}

template <class T>
void expect_same_outputs(const Outputs<T>& got, const Outputs<T>& expected, const std::string& where) {
  EXPECT_EQ(got.grad.payload(), expected.grad.payload()) << where;
  EXPECT_EQ(got.row_loss.payload(), expected.row_loss.payload()) << where;
  EXPECT_EQ(got.entropy.payload(), expected.entropy.payload()) << where;
  EXPECT_TRUE(got.grad.guards_intact() && got.row_loss.guards_intact() && got.entropy.guards_intact()) << where;
}

// Element offsets beyond 2^40 in both kernels (row 2^37 + 5 tiles of V = 100;
// row 2^25 + 3 of V = 40000, staged and re-read): a 32-bit product anywhere
// in the index math would read or write the wrong memory.
TEST(KernelsSoftmaxRows, RowsBeyondTwoToTheFortyElementsUse64BitOffsets) {
  {
    CaseOptions o;
    o.classes = 100;
    o.rows = k::kSoftmaxWarpRowsTileRows<4>;
    const Inputs<float, std::int32_t> in = make_inputs<float, std::int32_t>(o);
    const std::int64_t first = (std::int64_t{1} << 37) + 5 * o.rows;
    Outputs<float> out(static_cast<std::size_t>(o.rows * o.classes), static_cast<std::size_t>(o.rows), false);
    lossbench::launch(&k::softmax_warp_rows_offset_tile, dim3(1), dim3(k::kSoftmaxWarpRowsBlockThreads), 0,
                      lossbench::default_stream(), shifted_params(in, out, first, o.rows, o.classes), first);
    expect_same_outputs(out, run_kernel(in, o, 1.0f), "warp rows");
  }
  {
    CaseOptions o;
    o.classes = 40000;
    o.rows = 2;
    const Inputs<float, std::int32_t> in = make_inputs<float, std::int32_t>(o);
    const std::int64_t first = (std::int64_t{1} << 25) + 3;
    Outputs<float> out(static_cast<std::size_t>(o.rows * o.classes), static_cast<std::size_t>(o.rows), false);
    const int staged = 1;  // of 3 chunks: one staged, one re-read, one in registers
    const std::size_t shared_bytes = k::softmax_block_rows_stage_bytes<float, k::ClassIndices>(staged);
    ASSERT_EQ(cudaFuncSetAttribute(&k::softmax_block_rows_offset_rows, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                   static_cast<int>(shared_bytes)),
              cudaSuccess);
    lossbench::launch(&k::softmax_block_rows_offset_rows, dim3(1), dim3(k::kSoftmaxBlockRowsMaxThreads),
                      shared_bytes, lossbench::default_stream(),
                      shifted_params(in, out, first, o.rows, o.classes), first, o.rows, staged);
    expect_same_outputs(out, run_kernel(in, o, 1.0f), "block rows");
  }
}

}  // namespace
}  // namespace lossbench
