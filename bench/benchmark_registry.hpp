#pragma once
// The benchmark families, registered by bench_main.cpp after it has measured
// the peaks they report against.
#include <string>

namespace lossbench::measure {}
namespace lossbench::bench {

// The suite measures with the cases, byte counts and timers of lossbench::measure.
using namespace lossbench::measure;

/// For each loss and dtype, forward + gradient, mean: the CPU reference
/// (double precision, cpu_reference/..., n = 2^10..2^22) and the cpu
/// backend (cpu_fused/..., n = 2^10..2^24, at cpu_threads() threads), with
/// bytes/s, elements/s and % of the CPU's measured copy bandwidth.
void register_cpu_benchmarks(double cpu_copy_bytes_per_second);

/// The training step on the CPU: the ref backend at n = 2^8..2^12 and the
/// emulated fused kernel at n = 64, d = 784, k = 10.
void register_cpu_train_step_benchmarks(double cpu_copy_bytes_per_second);

/// Softmax cross-entropy (int64 labels, mean, loss and gradient) on the cpu
/// backend, cpu_softmax_ce/fused/<dtype>/N=../V=.., f32 and bf16, at the
/// smaller shapes of softmax_bench_shapes().
void register_cpu_softmax_benchmarks(double cpu_copy_bytes_per_second);

/// The GPU benchmarks (fused and unfused kernels, the training step fused and with cuBLAS), or false with the reason
/// when there is no GPU or no CUDA backend in this build.
bool register_gpu_benchmarks(std::string& why_not);

}  // namespace lossbench::bench
