// The fused_loss() API's argument checks and workspace size, on the ref
// backend (no kernel needed): every bad call is an InputError naming the
// problem, and good calls reach the reference.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "common/expect_input_error.hpp"
#include "lossbench/core/broadcast.hpp"
#include "lossbench/core/error.hpp"
#include "lossbench/loss/fused_loss.hpp"

namespace lossbench {
namespace {

class HostFusedLossApi : public ::testing::Test {
 protected:
  HostFusedLossApi() : z(16, 0.5f), y(16, 1.0f), g(16), l(16) {
    call.loss = Loss::bce;
    call.reduction = Reduction::mean;
    call.dtype = DType::f32;
    call.logits = z.data();
    call.targets = y.data();
    call.grad = g.data();
    call.reduced_loss = &loss;
    call.n = 16;
  }

  void expect_rejected(const FusedLossCall& bad, const std::string& needle) {
    testing::expect_input_error([&] { validate(bad); }, needle);
  }

  std::vector<float> z, y, g, l;
  double loss = 0;
  FusedLossCall call;
};

TEST_F(HostFusedLossApi, AcceptsAWellFormedCallAndComputesOnRef) {
  EXPECT_NO_THROW(validate(call));
  fused_loss(call, Backend::ref, nullptr, 0);
  // BCE at z = 0.5, y = 1: log1p(e^-0.5) for every element, gradient (σ(0.5) − 1)/16.
  EXPECT_NEAR(loss, std::log1p(std::exp(-0.5)), 1e-12);
  EXPECT_FLOAT_EQ(g[3], static_cast<float>((1.0 / (1.0 + std::exp(-0.5)) - 1.0) / 16.0));
}

// softmax-ce is a Loss (the training step takes it) but a row's loss, not an
// element's: fused_loss says so and where to go instead, on every backend.
TEST_F(HostFusedLossApi, RejectsSoftmaxCeAsNotElementwise) {
  FusedLossCall bad = call;
  bad.loss = Loss::softmax_ce;
  expect_rejected(bad, "softmax-ce is not an elementwise loss");
  expect_rejected(bad, "softmax_loss (softmax_loss.hpp)");
  for (const Backend backend : {Backend::ref, Backend::emu, Backend::cpu}) {
    EXPECT_THROW(fused_loss(bad, backend, nullptr, 0), InputError) << to_string(backend);
  }
}

TEST_F(HostFusedLossApi, RejectsUnknownEnumsAndNegativeSize) {
  FusedLossCall bad = call;
  bad.loss = static_cast<Loss>(7);
  expect_rejected(bad, "unknown loss value 7");
  bad = call;
  bad.reduction = static_cast<Reduction>(9);
  expect_rejected(bad, "unknown reduction value 9");
  bad = call;
  bad.dtype = static_cast<DType>(5);
  expect_rejected(bad, "unknown dtype value 5");
  bad = call;
  bad.activation = static_cast<Activation>(4);
  expect_rejected(bad, "unknown activation value 4");
  bad = call;
  bad.n = -1;
  expect_rejected(bad, "n must be >= 0, got -1");
}

// bce is defined on logits through the sigmoid; only mse has an identity form.
TEST_F(HostFusedLossApi, IdentityActivationIsMseOnly) {
  FusedLossCall bad = call;
  bad.activation = Activation::identity;
  expect_rejected(bad, "activation identity applies to mse only");
  FusedLossCall good = bad;
  good.loss = Loss::mse;
  EXPECT_NO_THROW(validate(good));
  // z = 0.5, y = 1: ½(0.5 − 1)² for every element, gradient (0.5 − 1)/16.
  fused_loss(good, Backend::ref, nullptr, 0);
  EXPECT_EQ(loss, 0.125);
  EXPECT_EQ(g[3], -0.5f / 16.0f);
}

TEST_F(HostFusedLossApi, RejectsMissingOrSuperfluousPointers) {
  FusedLossCall bad = call;
  bad.logits = nullptr;
  expect_rejected(bad, "logits is null with n = 16");
  bad = call;
  bad.targets = nullptr;
  expect_rejected(bad, "targets is null");
  bad = call;
  bad.reduced_loss = nullptr;
  expect_rejected(bad, "reduced_loss is null but reduction mean needs it");
  bad = call;
  bad.reduction = Reduction::none;
  expect_rejected(bad, "reduced_loss is set but reduction none");
  bad = call;
  bad.elementwise_loss = l.data();
  expect_rejected(bad, "only reduction none writes per-element losses");
  // Null pointers are fine when there are no elements.
  FusedLossCall empty = call;
  empty.logits = empty.targets = nullptr;
  empty.grad = nullptr;
  empty.n = 0;
  EXPECT_NO_THROW(validate(empty));
}

TEST_F(HostFusedLossApi, RejectsWeightsThatDoNotFitTheCall) {
  const std::vector<float> w(16, 1.0f);
  FusedLossCall bad = call;
  bad.loss = Loss::mse;
  bad.pos_weights = w.data();
  bad.pos_weight_layout = broadcast_layout(std::vector<std::int64_t>{16}, std::vector<std::int64_t>{16}, "p");
  expect_rejected(bad, "pos_weights applies to bce only");
  bad.loss = Loss::bce;
  bad.pos_weight = 2.0f;
  expect_rejected(bad, "pos_weights and a scalar pos_weight of 2.000000 are both given");
  bad = call;
  bad.weight = w.data();
  bad.weight_layout = broadcast_layout(std::vector<std::int64_t>{4, 5}, std::vector<std::int64_t>{5}, "w");
  expect_rejected(bad, "weight_layout describes 20 elements, the call has n = 16");
  bad.weight_layout = broadcast_layout(std::vector<std::int64_t>{4, 4}, std::vector<std::int64_t>{4}, "w");
  EXPECT_NO_THROW(validate(bad));
  bad.weight = g.data();  // the gradient would overwrite its own weights
  expect_rejected(bad, "grad overlaps weight");
}

// PyTorch's semantics of weight and pos_weight, on every backend that runs
// here: ℓ_i = −w_i·[p_c·y_i·log σ(z_i) + (1 − y_i)·log(1 − σ(z_i))], for z, y
// of shape (2, 3), w of shape (2, 1) = [[2], [0.5]] and p of shape (3,) =
// [3, 1, 0.25]. Checked with torch 2.15.0 in float64 (CPU) on 2026-12-07:
//   l = F.binary_cross_entropy_with_logits(z, y, weight=w, pos_weight=p); l.backward()
// gives z.grad below exactly, and l = 0.9848042964790465 (2 ulp: summation order).
TEST_F(HostFusedLossApi, WeightAndPosWeightBroadcastAsPyTorchOnEveryBackend) {
  const std::vector<float> z6{0.5f, -1.0f, 2.0f, -0.25f, 3.0f, 0.0f};
  const std::vector<float> y6{1.0f, 0.0f, 1.0f, 0.5f, 0.0f, 1.0f};
  const std::vector<float> w{2.0f, 0.5f};
  const std::vector<float> p{3.0f, 1.0f, 0.25f};
  const double torch_mean = 0.9848042964790468;
  const double torch_mean_grad[] = {-0.37754066879814535, 0.08964714045666504,  -0.009933576835176474,
                                    -0.05202941681429968, 0.07938117723520279, -0.010416666666666666};
  const std::vector<std::int64_t> shape{2, 3};
  for (const Backend backend : {Backend::ref, Backend::emu, Backend::cpu}) {
    std::vector<float> grad(6);
    double mean = 0;
    FusedLossCall c;
    c.loss = Loss::bce;
    c.reduction = Reduction::mean;
    c.logits = z6.data();
    c.targets = y6.data();
    c.grad = grad.data();
    c.reduced_loss = &mean;
    c.n = 6;
    c.weight = w.data();
    c.weight_layout = broadcast_layout(shape, std::vector<std::int64_t>{2, 1}, "w");
    c.pos_weights = p.data();
    c.pos_weight_layout = broadcast_layout(shape, std::vector<std::int64_t>{3}, "p");
    std::vector<unsigned char> workspace(fused_loss_workspace_size(6, Reduction::mean, backend));
    fused_loss(c, backend, workspace.data(), workspace.size());
    EXPECT_NEAR(mean, torch_mean, 1e-6 * torch_mean) << to_string(backend);
    for (int i = 0; i < 6; ++i) {
      EXPECT_NEAR(grad[i], torch_mean_grad[i], 1e-6 * std::fabs(torch_mean_grad[i])) << to_string(backend) << " " << i;
    }
  }
}

// A NaN weight gives NaN; a zero weight gives 0, except times an infinite
// loss, where 0·inf is NaN, as PyTorch multiplies (z = inf, y = 0).
TEST_F(HostFusedLossApi, NaNAndZeroWeightsBehaveAsPyTorchsProduct) {
  const std::vector<float> z3{0.5f, 0.5f, INFINITY};
  const std::vector<float> y3{1.0f, 1.0f, 0.0f};
  const std::vector<float> w{NAN, 0.0f, 0.0f};
  for (const Backend backend : {Backend::ref, Backend::emu, Backend::cpu}) {
    std::vector<float> loss3(3), grad3(3);
    FusedLossCall c;
    c.loss = Loss::bce;
    c.reduction = Reduction::none;
    c.logits = z3.data();
    c.targets = y3.data();
    c.grad = grad3.data();
    c.elementwise_loss = loss3.data();
    c.n = 3;
    c.weight = w.data();
    c.weight_layout = broadcast_layout(std::vector<std::int64_t>{3}, std::vector<std::int64_t>{3}, "w");
    fused_loss(c, backend, nullptr, 0);
    EXPECT_TRUE(std::isnan(loss3[0]) && std::isnan(grad3[0])) << to_string(backend);
    EXPECT_EQ(loss3[1], 0.0f) << to_string(backend);
    EXPECT_EQ(grad3[1], 0.0f) << to_string(backend);
    EXPECT_TRUE(std::isnan(loss3[2])) << to_string(backend) << " 0·inf";
    EXPECT_EQ(grad3[2], 0.0f) << to_string(backend) << " 0·1";
  }
}

TEST_F(HostFusedLossApi, RejectsBadScalars) {
  FusedLossCall bad = call;
  bad.loss = Loss::mse;
  bad.pos_weight = 2.0f;
  expect_rejected(bad, "pos_weight applies to bce only");
  bad = call;
  bad.pos_weight = -1.0f;
  expect_rejected(bad, "pos_weight must be finite and >= 0");
  bad.pos_weight = NAN;
  expect_rejected(bad, "pos_weight must be finite and >= 0");
  bad = call;
  bad.grad_scale = INFINITY;
  expect_rejected(bad, "grad_scale must be finite");
}

TEST_F(HostFusedLossApi, RejectsOverlapsButAllowsExactlyInPlace) {
  FusedLossCall in_place = call;
  in_place.grad = z.data();
  EXPECT_NO_THROW(validate(in_place));
  FusedLossCall bad = call;
  bad.grad = z.data() + 1;  // overlaps the logits, shifted by one element
  expect_rejected(bad, "grad overlaps logits without being exactly in place");
  bad = call;
  bad.grad = y.data();
  expect_rejected(bad, "grad overlaps targets");
  bad = call;
  bad.reduction = Reduction::none;
  bad.reduced_loss = nullptr;
  bad.elementwise_loss = g.data();
  expect_rejected(bad, "elementwise_loss overlaps grad");
  bad = call;
  bad.reduced_loss = reinterpret_cast<double*>(g.data() + 4);
  expect_rejected(bad, "reduced_loss overlaps");
}

TEST_F(HostFusedLossApi, WorkspaceSizeCoversOneFloatPerTilePlusTheCounter) {
  for (const Backend backend : {Backend::emu, Backend::cuda}) {  // a shape query: no device needed
    SCOPED_TRACE(to_string(backend));
    EXPECT_EQ(fused_loss_workspace_size(0, Reduction::mean, backend), 16u);  // no tiles, the counter slot
    EXPECT_EQ(fused_loss_workspace_size(4096, Reduction::sum, backend), 16u + 16u);  // one tile, padded to 16 bytes
    EXPECT_EQ(fused_loss_workspace_size(4097, Reduction::mean, backend), 16u + 16u);
    EXPECT_EQ(fused_loss_workspace_size(std::int64_t{1} << 40, Reduction::mean, backend),  // 2^28 tiles
              (std::size_t{1} << 30) + 16u);
    EXPECT_EQ(fused_loss_workspace_size(100, Reduction::none, backend), 0u);
  }
  EXPECT_EQ(fused_loss_workspace_size(1 << 20, Reduction::mean, Backend::ref), 0u);
  EXPECT_THROW(fused_loss_workspace_size(-1, Reduction::mean, Backend::emu), InputError);
  EXPECT_THROW(fused_loss_workspace_size(1, static_cast<Reduction>(7), Backend::emu), InputError);
}

TEST_F(HostFusedLossApi, TooSmallWorkspaceAndUnavailableBackendsAreReported) {
  EXPECT_THROW(fused_loss(call, Backend::emu, nullptr, 0), InputError);
  EXPECT_THROW(fused_loss(call, Backend::cpu, nullptr, 0), InputError);
  if (!backend_availability(Backend::cuda).available) {
    std::vector<unsigned char> workspace(64);
    try {
      fused_loss(call, Backend::cuda, workspace.data(), workspace.size());
      ADD_FAILURE() << "the cuda backend ran without a GPU";
    } catch (const BackendError& e) {
      EXPECT_NE(std::string(e.what()).find("not available"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace lossbench
