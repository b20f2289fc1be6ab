#pragma once
// NaN in, NaN out, on any backend: a NaN logit gives a NaN loss and gradient
// for its element (and not its neighbours) and a NaN reduced loss, as in
// PyTorch; it is never silently dropped.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "lossbench/loss/fused_loss.hpp"

namespace lossbench {

inline void expect_nan_logit_propagates(Backend backend) {
  for (const Loss loss : {Loss::mse, Loss::bce}) {
    for (const float y_value : {0.0f, 0.5f, 1.0f}) {
      std::vector<float> z(300, 0.5f), y(300, y_value), g(300), l(300);
      z[257] = NAN;
      FusedLossCall call;
      call.loss = loss;
      call.reduction = Reduction::none;
      call.logits = z.data();
      call.targets = y.data();
      call.grad = g.data();
      call.elementwise_loss = l.data();
      call.n = 300;
      fused_loss(call, backend, nullptr, 0);
      EXPECT_TRUE(std::isnan(l[257]) && std::isnan(g[257])) << to_string(backend) << " " << to_string(loss) << " y=" << y_value;
      EXPECT_FALSE(std::isnan(l[256]) || std::isnan(g[258])) << "NaN leaked to a neighbour";

      double reduced = 0;
      call.reduction = Reduction::mean;
      call.elementwise_loss = nullptr;
      call.reduced_loss = &reduced;
      std::vector<unsigned char> workspace(fused_loss_workspace_size(call.n, call.reduction, backend), 0);
      fused_loss(call, backend, workspace.data(), workspace.size());
      EXPECT_TRUE(std::isnan(reduced)) << to_string(backend) << " " << to_string(loss) << " y=" << y_value;
    }
  }
}

}  // namespace lossbench
