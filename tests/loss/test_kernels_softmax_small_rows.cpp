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
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "backends/launch/softmax_loss_launch.cuh"
#include "emu/options.hpp"
#include "lossbench/loss/fused_loss_bounds.hpp"
#include "lossbench/loss/softmax_bounds.hpp"
#include "lossbench/reference/softmax_reference.hpp"
#include "verify/softmax_logit_rows.hpp"
#include "lossbench/verify/mismatch_log.hpp"

namespace lossbench {
namespace {

namespace k = kernels;
namespace ref = reference;
using detail::kMinusInf;
using detail::kRowKinds;
using detail::make_row;
using detail::RowKind;

constexpr std::int64_t kTile = k::kSoftmaxSmallRowsTileRows;
constexpr std::int64_t kIgnore = -100;

template <class T>
DType dtype_of() {
  if constexpr (std::is_same_v<T, float>) return DType::f32;
  if constexpr (std::is_same_v<T, __half>) return DType::f16;
  return DType::bf16;
}

template <class T>
std::string type_name() {
  if constexpr (std::is_same_v<T, float>) return "f32";
  if constexpr (std::is_same_v<T, __half>) return "f16";
  if constexpr (std::is_same_v<T, __nv_bfloat16>) return "bf16";
  if constexpr (std::is_same_v<T, std::int32_t>) return "int32";
  return "int64";
}

// A buffer of T with kGuard poisoned elements on each side.
template <class T>
class Guarded {
 public:
  static constexpr std::size_t kGuard = 32;
  explicit Guarded(std::size_t n) : bytes_((n + 2 * kGuard) * sizeof(T), 0xff), n_(n) {}
  T* data() { return reinterpret_cast<T*>(bytes_.data()) + kGuard; }
  double at(std::size_t i) const {
    T v;
    std::memcpy(&v, bytes_.data() + (kGuard + i) * sizeof(T), sizeof(T));
    return k::to_float(v);
  }
  bool guards_intact() const {
    const std::size_t tail = (kGuard + n_) * sizeof(T);
    return std::all_of(bytes_.begin(), bytes_.begin() + kGuard * sizeof(T), [](unsigned char b) { return b == 0xff; }) &&
           std::all_of(bytes_.begin() + static_cast<std::ptrdiff_t>(tail), bytes_.end(),
                       [](unsigned char b) { return b == 0xff; });
  }
  std::vector<unsigned char> payload() const {
    return {bytes_.begin() + kGuard * sizeof(T), bytes_.begin() + static_cast<std::ptrdiff_t>((kGuard + n_) * sizeof(T))};
  }

 private:
  std::vector<unsigned char> bytes_;
  std::size_t n_;
};



struct CaseOptions {
  int classes = 10;
  std::int64_t rows = 100;
  float eps = 0.0f;
  float z_loss = 0.0f;
  bool extreme = false;   // a quarter of the rows wide, −inf but one, confident, or near 1e4
  bool ignore = true;     // about 10% of the labels ignore_index (hard labels)
  bool in_place = false;
  bool mean = false;      // grad_multiplier = 1 / rows counted
  std::uint64_t seed = 1;
  k::DeviceCapacity capacity{4, 2};

  std::string describe() const {
    return "V=" + std::to_string(classes) + " rows=" + std::to_string(rows) + " eps=" + std::to_string(eps) +
           " c=" + std::to_string(z_loss) + (extreme ? " extreme" : "") + (in_place ? " in-place" : "") +
           (mean ? " mean" : " sum") + " seed=" + std::to_string(seed);
  }
};

// Inputs in storage precision, and the same values as double for the reference.
template <class T, class Target>
struct Inputs {
  std::vector<T> logits;
  std::vector<Target> targets;
  std::vector<double> logits_d;
  std::vector<double> targets_d;    // soft only
  std::vector<std::int64_t> labels; // hard only
};

template <class T, class Target>
Inputs<T, Target> make_inputs(const CaseOptions& o) {
  constexpr bool kSoft = k::kSoftTargets<Target>;
  std::mt19937_64 rng(o.seed);
  const auto v = static_cast<std::size_t>(o.classes);
  Inputs<T, Target> in;
  constexpr RowKind kExtreme[] = {RowKind::wide, RowKind::minus_inf_but_one, RowKind::confident,
                                  RowKind::far_from_zero};
  for (std::int64_t r = 0; r < o.rows; ++r) {
    RowKind kind = RowKind::normal;
    if (o.extreme && rng() % 4 == 0) kind = kExtreme[rng() % 4];
    std::size_t finite = 0;
    const std::vector<float> row = make_row(kind, v, rng, &finite);
    const int finite_class = static_cast<int>(finite);
    for (const float x : row) {
      in.logits.push_back(k::from_float<T>(x));
      in.logits_d.push_back(k::to_float(in.logits.back()));
    }
    if constexpr (kSoft) {
      std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
      std::vector<float> q(v);
      float sum = 0.0f;
      for (float& x : q) sum += x = uniform(rng) < 0.3f ? 0.0f : uniform(rng);
      if (sum == 0.0f) q[0] = sum = 1.0f;
      for (float& x : q) {
        in.targets.push_back(k::from_float<T>(x / sum));
        in.targets_d.push_back(k::to_float(in.targets.back()));
      }
    } else {
      const std::int64_t label = o.ignore && rng() % 10 == 0 ? kIgnore : finite_class;
      in.targets.push_back(static_cast<Target>(label));
      in.labels.push_back(label);
    }
  }
  return in;
}

// What one launch wrote.
template <class T>
struct Outputs {
  Guarded<T> grad;
  Guarded<T> row_loss;
  Guarded<T> entropy;
  double reduced = std::numeric_limits<double>::quiet_NaN();
  std::int64_t counted = -1;
  Outputs(std::size_t elements, std::size_t rows) : grad(elements), row_loss(rows), entropy(rows) {}
};

template <class T, class Target>
Outputs<T> run_kernel(const Inputs<T, Target>& in, const CaseOptions& o, float grad_multiplier) {
  const auto elements = static_cast<std::size_t>(o.rows * o.classes);
  Outputs<T> out(elements, static_cast<std::size_t>(o.rows));
  // In place: the logits are copied into the gradient buffer and read from there.
  if (o.in_place && elements > 0) std::memcpy(out.grad.data(), in.logits.data(), elements * sizeof(T));
  const k::SoftmaxWorkspaceLayout layout = k::softmax_workspace_layout(k::softmax_tile_count(o.rows, o.classes));
  std::vector<unsigned char> workspace(layout.total_bytes, 0);
  k::SoftmaxRowsParams<T, Target> p;
  p.logits = o.in_place ? out.grad.data() : in.logits.data();
  p.targets = in.targets.data();
  p.grad = out.grad.data();
  p.row_loss = out.row_loss.data();
  p.row_entropy = out.entropy.data();
  p.rows = o.rows;
  p.classes = o.classes;
  p.ignore_index = kIgnore;
  p.ce = {o.eps, o.z_loss};
  p.grad_multiplier = grad_multiplier;
  p.tile_loss = reinterpret_cast<float*>(workspace.data());
  p.tile_count = reinterpret_cast<std::int32_t*>(workspace.data() + layout.count_offset);
  p.blocks_done = reinterpret_cast<unsigned int*>(workspace.data() + layout.counter_offset);
  p.reduced_loss = &out.reduced;
  p.counted_rows = &out.counted;
  k::launch_softmax_small_rows(p, lossbench::default_stream(), [&](auto...) { return o.capacity; });
  const auto* counter = reinterpret_cast<const unsigned*>(workspace.data() + layout.counter_offset);
  EXPECT_EQ(*counter, 0u) << "blocks-done counter not reset";
  return out;
}

template <class T, class Target>
void check_case(const CaseOptions& o) {
  constexpr bool kSoft = k::kSoftTargets<Target>;
  const Inputs<T, Target> in = make_inputs<T, Target>(o);
  std::int64_t expected_count = 0;
  for (std::int64_t r = 0; r < o.rows; ++r) expected_count += kSoft || in.labels[static_cast<std::size_t>(r)] != kIgnore;
  const float multiplier = o.mean && expected_count > 0 ? 1.0f / static_cast<float>(expected_count) : 1.0f;
  const Outputs<T> out = run_kernel(in, o, multiplier);

  const DType dtype = dtype_of<T>();
  const double u_out = output_rounding(dtype);
  const double t_out = output_underflow(dtype);
  const double u = kFloatUnitRoundoff;
  const double m = multiplier;
  const std::int64_t v = o.classes;
  const std::int64_t depth = pairwise_depth(v) + 1;  // the rescale to the group max, then the butterfly
  MismatchLog log;
  double sum_ref = 0.0;
  double sum_abs = 0.0;
  double sum_bound = 0.0;
  for (std::int64_t r = 0; r < o.rows; ++r) {
    const auto begin = static_cast<std::size_t>(r * v);
    const std::span<const double> z(in.logits_d.data() + begin, static_cast<std::size_t>(v));
    const ref::SoftmaxRow row = ref::softmax_row(z);
    const SoftmaxBoundRow bound_row{v, depth, row.lse, row.log_s};
    const auto describe = [&] { return "row " + std::to_string(r) + ", " + o.describe(); };
    const double h_bound = softmax_entropy_error_bound(bound_row, row.entropy, row.gap_second_moment);
    log.check("entropy", r, out.entropy.at(static_cast<std::size_t>(r)), row.entropy,
              h_bound + u_out * std::fabs(row.entropy) + t_out, describe);

    bool counted = true;
    ref::RowLossAndGrad rg{0.0, std::vector<double>(static_cast<std::size_t>(v), 0.0)};
    double loss_bound = 0.0;
    std::vector<double> grad_bound(static_cast<std::size_t>(v), 0.0);
    if constexpr (kSoft) {
      const std::span<const double> q(in.targets_d.data() + begin, static_cast<std::size_t>(v));
      rg = ref::softmax_ce_soft_row(z, q);
      double q_sum = 0.0;
      for (const double x : q) q_sum += x;
      loss_bound = softmax_ce_soft_loss_error_bound(bound_row, rg.loss, q_sum);
      for (std::int64_t j = 0; j < v; ++j) {
        const auto jj = static_cast<std::size_t>(j);
        grad_bound[jj] = softmax_grad_error_bound(
            bound_row, {row.prob[jj], row.log_prob[jj], q_sum, q[jj], 0.0, true}, rg.grad[jj]);
      }
    } else {
      const std::int64_t t = in.labels[static_cast<std::size_t>(r)];
      counted = t != kIgnore;
      if (counted) {
        rg = ref::softmax_ce_hard_row(z, t, {o.eps, o.z_loss, kIgnore});
        loss_bound = softmax_ce_hard_loss_error_bound(bound_row, rg.loss, o.z_loss);
        for (std::int64_t j = 0; j < v; ++j) {
          const auto jj = static_cast<std::size_t>(j);
          const double share = (j == t ? 1.0 - o.eps : 0.0) + static_cast<double>(o.eps) / static_cast<double>(v);
          grad_bound[jj] = softmax_grad_error_bound(
              bound_row, {row.prob[jj], row.log_prob[jj], 1.0 + 2.0 * o.z_loss * row.lse, share, o.z_loss, false},
              rg.grad[jj]);
        }
      }
    }
    log.check("row loss", r, out.row_loss.at(static_cast<std::size_t>(r)), rg.loss,
              loss_bound + u_out * std::fabs(rg.loss) + t_out, describe);
    for (std::int64_t j = 0; j < v; ++j) {
      const auto jj = static_cast<std::size_t>(j);
      const double g_ref = m * rg.grad[jj];
      // The float grad's bound, scaled; one rounding of the product (none for
      // a multiplier of 1); one to the storage type.
      const double bound = m * grad_bound[jj] + (m == 1.0 ? 0.0 : u) * std::fabs(g_ref) * 1.01 +
                           u_out * std::fabs(g_ref) * 1.01 + t_out;
      log.check("grad", r * v + j, out.grad.at(begin + jj), g_ref, bound, describe);
    }
    if (counted) {
      sum_ref += rg.loss;
      sum_abs += std::fabs(rg.loss);
      sum_bound += loss_bound;
    }
  }
  // The reduced loss: each row's float error, then float sums of at most
  // 4·kLanes rows per thread and a 256-thread tree per tile (in double after).
  const double lanes = static_cast<double>(std::bit_ceil(static_cast<unsigned>(v)));
  const double reduced_bound = sum_bound + float_gamma(4.0 * lanes + 9.0) * sum_abs + 1e-15 * sum_abs;
  log.check("reduced loss", 0, out.reduced, sum_ref, reduced_bound, [&] { return o.describe(); });
  if (out.counted != expected_count) {
    log.fail("counted rows " + std::to_string(out.counted) + ", expected " + std::to_string(expected_count));
  }
  log.check_guards("grad", out.grad.guards_intact());
  log.check_guards("row loss", out.row_loss.guards_intact());
  log.check_guards("entropy", out.entropy.guards_intact());
  EXPECT_TRUE(log.passed()) << type_name<T>() << "/" << type_name<Target>() << " " << o.describe() << ":\n"
                            << log.report();
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
    k::SoftmaxRowsParams<float, std::int32_t> p;
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
__global__ void softmax_small_rows_offset_tile(SoftmaxRowsParams<float, std::int32_t> p, std::int64_t first) {
  int count = 0;
  small_rows_tile<16, false, true>(p, 1.0f, first, static_cast<int>(threadIdx.x), count);
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
  Outputs<float> out(static_cast<std::size_t>(kTile * 10), static_cast<std::size_t>(kTile));
  k::SoftmaxRowsParams<float, std::int32_t> p;
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
