#pragma once
// Which lossbench_bench cases the report runs: chosen to measure every
// prediction of docs/predictions.json that names them, in the time the
// sections have (tests/report checks the predictions against these).
#include <string>

namespace lossbench::report {

/// The fused-loss cases: fused and unfused (on a GPU), the cpu backend and the CPU reference.
std::string loss_bench_filter(bool gpu, bool quick);
/// The training-step cases: fused and the cuBLAS baseline (the CPU's ref and emu without a GPU).
std::string train_step_bench_filter(bool gpu, bool quick);

}  // namespace lossbench::report
