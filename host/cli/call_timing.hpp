#pragma once
// Timing the computing call of `lossbench loss`, alone: never reading,
// converting or writing files, nor copies between host and device.
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

#include "lossbench/core/backend.hpp"

namespace lossbench::cli {

/// Milliseconds of each of `repeats` calls of `call_once`, after one untimed
/// warm-up (first-call costs such as loading the CUDA module stay out): the
/// kernel's GPU time on cuda, the synchronous call's wall time on ref, emu
/// and cpu. `restore`, when not empty, runs before every call, untimed.
std::vector<double> call_milliseconds(Backend backend, const std::function<void()>& call_once, int repeats,
                                      const std::function<void()>& restore);

/// Sets the report's "time_ms" (the median), "times_ms" ({min, median}) and
/// "repeats" from a non-empty list of call times.
void add_call_times(nlohmann::json& report, const std::vector<double>& milliseconds, int repeats);

}  // namespace lossbench::cli
