// The fused loss kernel under several emulator schedules and with blocks on
// several CPU threads: the same bits every time (the reduction's order is
// fixed by the tile layout, not by which thread or block runs first).
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "emu/options.hpp"
#include "lossbench/loss/fused_loss.hpp"

namespace lossbench {
namespace {

TEST(EmuFusedLossSchedules, SameBitsUnderEveryScheduleAndWorkerCount) {
  const std::int64_t n = 5 * 4096 * 8 + 77;  // more tiles than blocks, a tail
  std::mt19937 rng(11);
  std::normal_distribution<float> normal(0.0f, 5.0f);
  std::vector<float> z(n), y(n);
  for (std::int64_t i = 0; i < n; ++i) {
    z[i] = normal(rng);
    y[i] = static_cast<float>(rng() % 3) / 2.0f;
  }
  std::vector<emu::Schedule> schedules = {{emu::Schedule::Kind::forward, 0}, {emu::Schedule::Kind::reverse, 0}};
  for (std::uint64_t seed = 1; seed <= 4; ++seed) schedules.push_back({emu::Schedule::Kind::random, seed});

  for (const Loss loss : {Loss::mse, Loss::bce}) {
    double first_loss = 0;
    std::vector<float> first_grad;
    for (const unsigned workers : {1u, 2u}) {
      for (const emu::Schedule& schedule : schedules) {
        emu::set_schedule(schedule);
        emu::set_workers(workers);
        std::vector<float> g(n);
        double reduced = 0;
        FusedLossCall call;
        call.loss = loss;
        call.reduction = Reduction::mean;
        call.logits = z.data();
        call.targets = y.data();
        call.grad = g.data();
        call.reduced_loss = &reduced;
        call.n = n;
        std::vector<unsigned char> workspace(fused_loss_workspace_size(call.n, call.reduction, Backend::emu), 0);
        fused_loss(call, Backend::emu, workspace.data(), workspace.size());
        if (first_grad.empty()) {
          first_loss = reduced;
          first_grad = g;
          continue;
        }
        EXPECT_EQ(std::memcmp(&reduced, &first_loss, sizeof reduced), 0)
            << to_string(loss) << " schedule " << schedule.to_string() << " workers " << workers << ": "
            << reduced << " vs " << first_loss;
        EXPECT_EQ(g, first_grad) << to_string(loss) << " schedule " << schedule.to_string();
      }
    }
  }
  emu::set_schedule({});
  emu::set_workers(1);
}

}  // namespace
}  // namespace lossbench
