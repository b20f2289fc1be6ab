#pragma once
// How many threads the cpu backend computes with. Results never depend on it
// (work is cut into fixed tiles whose partial sums are added in tile order),
// only the time does.
namespace lossbench {

/// The most threads the cpu backend takes.
inline constexpr int kMaxCpuThreads = 1024;

/// The threads the cpu backend uses: the last set_cpu_threads(n > 0), else
/// the environment variable LOSSBENCH_CPU_THREADS, else the hardware threads.
/// Throws InputError when LOSSBENCH_CPU_THREADS is set but not an integer in [1, 1024].
int cpu_threads();

/// Sets the cpu backend's thread count for this process; 0 returns to the
/// default above. Throws InputError for n < 0 or n > 1024.
void set_cpu_threads(int n);

}  // namespace lossbench
