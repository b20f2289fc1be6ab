#include "unfused_baseline_cases.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>

#include "lossbench/core/backend_buffer.hpp"
#include "lossbench/loss/fused_loss.hpp"
#include "lossbench/loss/unfused_baseline.hpp"
#include "lossbench/reference/fused_loss_reference.hpp"

namespace lossbench::test {

// ---------------------------------------------------------------- bounds
//
// u = 2^-24 is float32's unit roundoff: one correctly rounded float
// operation has relative error <= u, and k ulps of a result are <= 2k·u of
// it. The CUDA C++ Programming Guide's maximum errors (the emulator's libm is
// within them): expf 2 ulps, logf 1 ulp; +, −, ×, / correctly rounded (nvcc's
// default -prec-div=true, no -ftz); FMA contraction only removes roundings.
// Each coefficient below is the count of roundings, rounded up by one to
// cover second-order terms and the double model's own error (~2^-52).

namespace {

constexpr double kU = 0x1p-24;
// Absolute error floors where a float intermediate is subnormal (2^-150 per
// rounding, a few roundings, scaled by factors <= 1).
constexpr double kTiny = 0x1p-147;
// The double-precision model's own relative error, generously.
constexpr double kModel = 0x1p-50;

// The kernel's a before it is stored: sigmoid_pair in float. e = expf(−|z|)
// within 4u·e (2 ulps) or 2^-148 when subnormal; z >= 0: a = 1/(1 + e), one
// rounding for the add (whose e-error is <= 4u·e/(1 + e) <= 2u) and one for
// the division: 4u; z < 0: a = e·r, the e and r errors plus the product's
// rounding: 9u. So |a_float − σ(z)| <= 10u·σ + 2^-147.
double sigmoid_error(double sigma) { return 10 * kU * sigma + kTiny; }

// T's rounding of a float: relative u_T (half T's ulp: f16 has an 11-bit
// significand, bf16 an 8-bit one) and, in T's subnormal range, half its
// smallest subnormal. f32 values are not rounded again.
double storage_rounding(DType t) { return t == DType::f16 ? 0x1p-11 : t == DType::bf16 ? 0x1p-8 : 0.0; }
double storage_underflow(DType t) { return t == DType::f16 ? 0x1p-25 : t == DType::bf16 ? 0x1p-134 : 0.0; }

double round_to(DType t, double x) {
  unsigned char bytes[4];
  store_from_double(bytes, t, 0, x);
  return load_as_double(bytes, t, 0);
}

// The next larger value of T after a >= 0 (exactly representable in T).
double next_up(DType t, double a) {
  switch (t) {
    case DType::f32:
      return std::nextafter(static_cast<float>(a), std::numeric_limits<float>::infinity());
    case DType::f16:
      return half_to_float(Half{static_cast<std::uint16_t>(double_to_half(a).bits + 1)});
    case DType::bf16:
      return bfloat16_to_float(BFloat16{static_cast<std::uint16_t>(double_to_bfloat16(a).bits + 1)});
  }
  throw std::logic_error("next_up: unknown dtype");
}

// The values of T the baseline's stored a may take for logit z: every T
// value between the roundings of σ ∓ sigmoid_error (rounding to T is
// monotone, so a float within the interval rounds to one of them). Usually
// one value for f16 and bf16 (two near a rounding boundary); a few floats for
// f32. a never leaves [0, 1]: 1/fl(1 + e) <= 1 and e·r <= r.
std::vector<double> stored_probabilities(DType t, double z) {
  const double sigma = reference::sigmoid(z);
  const double delta = sigmoid_error(sigma);
  const double last = round_to(t, std::min(1.0, sigma + delta));
  std::vector<double> candidates;
  for (double a = round_to(t, std::max(0.0, sigma - delta)); a <= last; a = next_up(t, a)) {
    candidates.push_back(a);
    if (candidates.size() > 64) throw std::logic_error("stored_probabilities: runaway interval");
  }
  return candidates;
}

// What the baseline's float arithmetic may add to a loss of size `loss`
// (absolute), from a stored a that it reads exactly.
//   mse: ℓ = ½(y − a)²: y − a, then two products (0.5· is exact): 3u.
//   bce: ℓ = −(y·L1 + (1 − y)·L2), L1 = max(ln a, −100), L2 = max(ln(1 − a), −100):
//        logf's 1 ulp is 2u·|L|; fl(1 − a) = (1 − a)(1 + η), |η| <= u, moves
//        L2 by |ln(1 + η)| <= 1.01u absolutely (large relative to L2 when a
//        is small: the from-probability formula's own weakness); y·L1 adds
//        u, fl(1 − y) and its product 2u, the sum u. Both terms are >= 0,
//        so 3u·y|L1| + 4u·(1 − y)|L2| + u·ℓ <= 5u·ℓ, plus 1.01u·(1 − y).
double loss_float_error(Loss loss, double l, double y) {
  if (loss == Loss::mse) return (4 * kU + kModel) * l + kTiny;
  return (6 * kU + kModel) * l + 1.1 * kU * (1.0 - y) + kTiny;
}

// The same for a gradient of size `g`, multiplier included:
//   mse: g = (a − y)·a·(1 − a)·fl(m): a − y, ·a, 1 − a, ·, fl(m), ·: 6u.
//   bce: g = fl(fl(a − y)·fl(m)): 3u.
double grad_float_error(Loss loss, double g) {
  return ((loss == Loss::mse ? 7 : 4) * kU + kModel) * std::fabs(g) + kTiny;
}

double clamped_log(double x) { return std::max(std::log(x), -100.0); }
double clamped_log_one_minus(double a) { return std::max(std::log1p(-a), -100.0); }

// The baseline's chain in double from a stored a, and the errors its float
// arithmetic may add. grad includes the multiplier m (1 or 1/n).
struct ChainAt {
  double loss, loss_error, grad, grad_error;
};

ChainAt chain_at(Loss loss, double a, double y, double m) {
  const double l =
      loss == Loss::mse ? 0.5 * (y - a) * (y - a) : -(y * clamped_log(a) + (1.0 - y) * clamped_log_one_minus(a));
  const double g = loss == Loss::mse ? (a - y) * a * (1.0 - a) * m : (a - y) * m;
  return {l, loss_float_error(loss, l, y), g, grad_float_error(loss, g)};
}

// Recursive or tree summation of n terms >= 0 in float: error <= γ·Σ|terms|
// with γ = (n − 1)u/(1 − (n − 1)u), whatever the order (the emulator's
// DeviceReduce adds in index order, CUB on a GPU in a tree).
double float_sum_error_factor(std::int64_t n) {
  const double k = static_cast<double>(std::max<std::int64_t>(n - 1, 0)) * kU;
  return k / (1.0 - k);
}

// ---------------------------------------------------------------- inputs

struct Inputs {
  std::vector<unsigned char> z, y;  // in the case's dtype
  std::vector<double> zd, yd;       // the same values, exactly
};

// Logits a saturated or nearly saturated neuron has: the extremes the issue
// names, and the boundaries where a rounds to 0 or 1 in some dtype
// (6.2 bf16, 8.3 f16, 17 f32), where float's e^{−|z|} goes subnormal (87)
// and where it underflows (104).
constexpr double kSpecialLogits[] = {1e4, -1e4, 100, -100, 30, -30, 0, 17, -17, 9, -9, 7, -7, 88, -88, 104, -104, 6.5};

Inputs make_inputs(const UnfusedCase& c) {
  std::mt19937_64 rng(c.seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Inputs in;
  const auto n = static_cast<std::size_t>(c.n);
  const std::size_t bytes = n * dtype_size(c.dtype);
  in.z.resize(bytes);
  in.y.resize(bytes);
  in.zd.resize(n);
  in.yd.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    double z = 0.0;
    if (c.logits == Logits::moderate) {
      z = -8.0 + 16.0 * uniform(rng);
    } else if (uniform(rng) < 0.5) {
      z = kSpecialLogits[static_cast<std::size_t>(uniform(rng) * std::size(kSpecialLogits)) %
                         std::size(kSpecialLogits)];
    } else {  // log-uniform magnitude in [1e-2, 1e4], either sign
      z = (uniform(rng) < 0.5 ? -1.0 : 1.0) * std::pow(10.0, -2.0 + 6.0 * uniform(rng));
    }
    const double y = c.labels == Labels::hard ? static_cast<double>(rng() % 2) : uniform(rng);
    store_from_double(in.z.data(), c.dtype, i, z);
    store_from_double(in.y.data(), c.dtype, i, y);
    in.zd[i] = load_as_double(in.z.data(), c.dtype, i);
    in.yd[i] = load_as_double(in.y.data(), c.dtype, i);
  }
  return in;
}

// ---------------------------------------------------------------- running

// Guard bytes on each side of the gradient: the baseline must not write them.
constexpr std::size_t kGuard = 64;
constexpr unsigned char kPoison = 0xff;  // NaN in every dtype, and in the double loss

struct RunOutput {
  std::vector<unsigned char> grad;  // n elements of the dtype
  double reduced_loss = 0.0;
  bool guards_intact = true;
};

class BaselineRunner {
 public:
  BaselineRunner(Backend backend, const UnfusedCase& c, const Inputs& in)
      : c_(c),
        grad_bytes_(static_cast<std::size_t>(c.n) * dtype_size(c.dtype)),
        z_(backend, in.z.size()),
        y_(backend, in.y.size()),
        grad_(backend, grad_bytes_ + 2 * kGuard),
        reduced_(backend, sizeof(double)),
        baseline_(backend, call()) {
    z_.upload(in.z.data(), in.z.size());
    y_.upload(in.y.data(), in.y.size());
  }

  RunOutput run() {
    grad_.fill_bytes(kPoison);
    reduced_.fill_bytes(kPoison);
    baseline_.run(call(), nullptr);
    RunOutput out;
    std::vector<unsigned char> all(grad_bytes_ + 2 * kGuard);
    grad_.download(all.data(), all.size());
    out.grad.assign(all.begin() + kGuard, all.end() - kGuard);
    out.guards_intact = std::all_of(all.begin(), all.begin() + kGuard, [](unsigned char b) { return b == kPoison; }) &&
                        std::all_of(all.end() - kGuard, all.end(), [](unsigned char b) { return b == kPoison; });
    reduced_.download(&out.reduced_loss, sizeof(double));
    return out;
  }

 private:
  FusedLossCall call() const {
    FusedLossCall call;
    call.loss = c_.loss;
    call.reduction = c_.reduction;
    call.dtype = c_.dtype;
    call.logits = z_.data();
    call.targets = y_.data();
    call.grad = static_cast<unsigned char*>(grad_.data()) + kGuard;
    call.reduced_loss = static_cast<double*>(reduced_.data());
    call.n = c_.n;
    return call;
  }

  UnfusedCase c_;
  std::size_t grad_bytes_;
  BackendBuffer z_, y_, grad_, reduced_;
  UnfusedBaseline baseline_;
};

// ---------------------------------------------------------------- reporting

constexpr std::size_t kMaxProblems = 10;

class Problems {
 public:
  explicit Problems(UnfusedCaseResult& result) : result_(result) {}
  template <class... Parts>
  void add(const Parts&... parts) {
    ++result_.failures;
    if (result_.problems.size() >= kMaxProblems) return;
    std::ostringstream s;
    s.precision(17);
    (s << ... << parts);
    result_.problems.push_back(s.str());
  }

 private:
  UnfusedCaseResult& result_;
};

}  // namespace

std::string UnfusedCase::name() const {
  std::ostringstream s;
  s << to_string(loss) << '/' << to_string(reduction) << '/' << to_string(dtype) << '/'
    << (labels == Labels::hard ? "hard" : "soft") << '/' << (logits == Logits::moderate ? "moderate" : "extreme")
    << "/n=" << n;
  return s.str();
}

std::string UnfusedCaseResult::report() const {
  std::ostringstream s;
  s << failures << " failed check(s)";
  for (const std::string& p : problems) s << "\n  " << p;
  if (failures > static_cast<std::int64_t>(problems.size())) s << "\n  ...";
  return s.str();
}

std::vector<UnfusedCase> unfused_baseline_cases(DType dtype) {
  // Around the block of 256 threads, one past a 4096-element grid-stride
  // round, and a size where the float sum's error matters.
  const std::int64_t sizes[] = {1, 255, 256, 257, 4097, 100'003};
  std::vector<UnfusedCase> cases;
  std::uint64_t seed = 20260101;
  for (const Loss loss : {Loss::mse, Loss::bce}) {
    for (const Reduction reduction : {Reduction::mean, Reduction::sum}) {
      for (const Labels labels : {Labels::hard, Labels::soft}) {
        for (const Logits logits : {Logits::moderate, Logits::extreme}) {
          for (const std::int64_t n : sizes) cases.push_back({loss, reduction, dtype, labels, logits, n, ++seed});
        }
      }
    }
  }
  return cases;
}

UnfusedCaseResult run_unfused_case(const UnfusedCase& c, Backend backend) {
  UnfusedCaseResult result;
  Problems problems(result);
  const Inputs in = make_inputs(c);
  BaselineRunner runner(backend, c, in);
  const RunOutput first = runner.run();
  const RunOutput second = runner.run();

  const auto n = static_cast<std::size_t>(c.n);
  const DType t = c.dtype;
  const double m_grad = gradient_multiplier(c.reduction, c.n, 1.0);
  const double m_loss = reduction_multiplier(c.reduction, c.n);
  std::vector<double> grad(n);
  for (std::size_t i = 0; i < n; ++i) grad[i] = load_as_double(first.grad.data(), t, i);

  // Check 3: written, finite, nothing around it, and the same bits twice.
  // (On a GPU the sum is CUB's two-pass DeviceReduce, documented run-to-run
  // deterministic on one device; the emulator adds in index order.)
  if (!first.guards_intact) problems.add("check 3: bytes around the gradient were written");
  if (std::isnan(first.reduced_loss)) problems.add("check 3: the reduced loss is NaN (or was never written)");
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(grad[i])) problems.add("check 3: grad[", i, "] is NaN (never written?), z=", in.zd[i]);
  }
  if (first.grad != second.grad) problems.add("check 3: a second run wrote different gradient bits");
  if (std::bit_cast<std::uint64_t>(first.reduced_loss) != std::bit_cast<std::uint64_t>(second.reduced_loss)) {
    problems.add("check 3: a second run gave a different reduced loss: ", first.reduced_loss, " then ",
                 second.reduced_loss);
  }

  // Check 1: the model of the baseline's own chain. Element i's gradient
  // must lie in [round_T(g_c − E_c), round_T(g_c + E_c)] for one of the
  // stored-a candidates c (rounding to T is monotone). Both kernels read the
  // same stored a, so only candidates consistent with the gradient can have
  // produced the loss: the loss bound takes the worst of those.
  std::vector<double> model_loss(n), loss_slack(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::vector<double> candidates = stored_probabilities(t, in.zd[i]);
    const double a_model = round_to(t, reference::sigmoid(in.zd[i]));
    const ChainAt model = chain_at(c.loss, a_model, in.yd[i], m_grad);
    model_loss[i] = model.loss;
    double slack = -1.0;
    for (const double a : candidates) {
      const ChainAt at = chain_at(c.loss, a, in.yd[i], m_grad);
      const double lo = round_to(t, at.grad - at.grad_error);
      const double hi = round_to(t, at.grad + at.grad_error);
      if (!(lo <= grad[i] && grad[i] <= hi)) continue;
      slack = std::max(slack, std::fabs(at.loss - model.loss) + at.loss_error);
    }
    if (slack < 0.0) {
      const ChainAt at = chain_at(c.loss, a_model, in.yd[i], m_grad);
      problems.add("check 1: grad[", i, "] = ", grad[i], " is not the chain's for any stored a in [",
                   candidates.front(), ", ", candidates.back(), "]; z=", in.zd[i], " y=", in.yd[i],
                   " a=round_T(sigma)=", a_model, " gives ", at.grad, " +- ", at.grad_error);
      // Without a consistent candidate the loss may be any candidate's.
      for (const double a : candidates) {
        const ChainAt any = chain_at(c.loss, a, in.yd[i], m_grad);
        slack = std::max(slack, std::fabs(any.loss - model.loss) + any.loss_error);
      }
    }
    loss_slack[i] = slack;
  }
  {
    const double model_sum = reference::compensated_sum(model_loss);
    const double slack_sum = reference::compensated_sum(loss_slack);
    const double model_reduced = m_loss * model_sum;
    const double bound =
        m_loss * (slack_sum + float_sum_error_factor(c.n) * (model_sum + slack_sum)) + kModel * model_reduced;
    if (!(std::fabs(first.reduced_loss - model_reduced) <= bound)) {
      problems.add("check 1: reduced loss ", first.reduced_loss, ", the chain's ", model_reduced, ", bound ", bound);
    }
  }

  // Check 2: the true reference, for moderate logits. The stored a is σ
  // within Δ = u_T·(σ + δ) + t_T + δ (δ: the float sigmoid's error, then one
  // rounding to T): rounding to f16 alone moves a by up to 2^-11 of itself,
  // to bf16 by 2^-8. The loss and gradient may move by as much as their
  // formulas move over a in [σ − Δ, σ + Δ]; near a = 1 that is a lot, since
  // 1 − a then keeps only T's absolute precision u_T·a, a relative error of
  // u_T·e^z (f16 at z = 8: ~1.5). Then the float errors of check 1 at the
  // moved values and, for the gradient, one rounding to T.
  if (c.logits == Logits::moderate) {
    const reference::Result ref = reference::compute(c.loss, c.reduction, {in.z.data(), t, c.n}, {in.y.data(), t, c.n});
    std::vector<double> loss_bounds(n), loss_tops(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double sigma = reference::sigmoid(in.zd[i]);
      const double y = in.yd[i];
      const double delta_sigma = sigmoid_error(sigma);
      const double delta = storage_rounding(t) * (sigma + delta_sigma) + storage_underflow(t) + delta_sigma;
      const double a_lo = std::max(0.0, sigma - delta);
      const double a_hi = std::min(1.0, sigma + delta);
      const reference::LossAndGrad exact = reference::elementwise(c.loss, in.zd[i], y);
      double loss_move = 0.0;
      double grad_move = 0.0;
      if (c.loss == Loss::mse) {
        loss_move = std::fabs(sigma - y) * delta + 0.5 * delta * delta;
        // |d/da (a − y)a(1 − a)| = |a(1 − a) + (a − y)(1 − 2a)| <= a(1 − a) + |a − y|.
        grad_move = m_grad * delta * ((sigma + delta) * (1.0 - sigma + delta) + std::fabs(sigma - y) + delta);
      } else {
        // ln a and ln(1 − a) are monotone: their largest moves are at the ends.
        const auto move = [&](auto f) {
          return std::max(std::fabs(f(a_lo) - f(sigma)), std::fabs(f(a_hi) - f(sigma)));
        };
        loss_move = y * move(clamped_log) + (1.0 - y) * move(clamped_log_one_minus);
        grad_move = m_grad * delta;
      }
      const double loss_top = exact.loss + loss_move;
      const double loss_float = loss_float_error(c.loss, loss_top, y);
      const double grad_top = std::fabs(ref.grad[i]) + grad_move;
      const double grad_float = grad_float_error(c.loss, grad_top);
      const double grad_bound = grad_move + grad_float + storage_rounding(t) * (grad_top + grad_float) +
                                storage_underflow(t) + kModel * std::fabs(ref.grad[i]);
      loss_bounds[i] = loss_move + loss_float;
      loss_tops[i] = loss_top + loss_float;
      if (!(std::fabs(grad[i] - ref.grad[i]) <= grad_bound)) {
        problems.add("check 2: grad[", i, "] = ", grad[i], ", reference ", ref.grad[i], ", bound ", grad_bound,
                     "; z=", in.zd[i], " y=", y);
      }
    }
    const double bound = m_loss * (reference::compensated_sum(loss_bounds) +
                                   float_sum_error_factor(c.n) * reference::compensated_sum(loss_tops)) +
                         kModel * std::fabs(*ref.reduced_loss);
    if (!(std::fabs(first.reduced_loss - *ref.reduced_loss) <= bound)) {
      problems.add("check 2: reduced loss ", first.reduced_loss, ", reference ", *ref.reduced_loss, ", bound ", bound);
    }
  }
  return result;
}

BaselineRun run_baseline(Backend backend, Loss loss, Reduction reduction, DType dtype, const std::vector<double>& z,
                         const std::vector<double>& y) {
  UnfusedCase c;
  c.loss = loss;
  c.reduction = reduction;
  c.dtype = dtype;
  c.n = static_cast<std::int64_t>(z.size());
  Inputs in;
  in.z.resize(z.size() * dtype_size(dtype));
  in.y.resize(y.size() * dtype_size(dtype));
  for (std::size_t i = 0; i < z.size(); ++i) {
    store_from_double(in.z.data(), dtype, i, z[i]);
    store_from_double(in.y.data(), dtype, i, y[i]);
  }
  BaselineRunner runner(backend, c, in);
  const RunOutput out = runner.run();
  BaselineRun run;
  run.reduced_loss = out.reduced_loss;
  for (std::size_t i = 0; i < z.size(); ++i) run.grad.push_back(load_as_double(out.grad.data(), dtype, i));
  return run;
}

}  // namespace lossbench::test
