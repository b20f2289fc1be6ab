#pragma once
// Runs a check once per Highway SIMD target compiled in and supported by
// this CPU (AVX-512, AVX2, SSE4, the portable fallbacks, ...): the cpu
// backend dispatches to the best one, and the others are what older CPUs
// run. Each pass is announced on stdout; the dispatch is restored after.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>

#include "hwy/targets.h"

namespace lossbench::testing {

/// Calls check(name) with each target forced in turn; expects at least one.
template <class Check>
void for_each_simd_target(const Check& check) {
  const std::int64_t supported = hwy::SupportedTargets();
  int targets = 0;
  for (std::int64_t bit = 1; bit != 0 && bit <= supported; bit <<= 1) {
    if ((supported & bit) == 0) continue;
    hwy::SetSupportedTargetsForTest(bit);
    ++targets;
    std::printf("target %s\n", hwy::TargetName(bit));
    check(hwy::TargetName(bit));
  }
  hwy::SetSupportedTargetsForTest(0);
  EXPECT_GE(targets, 1);
}

}  // namespace lossbench::testing
