#pragma once
// The CPU's memory bandwidth as a copy measures it (bytes read + written), in
// the same run as the CPU benchmarks, so that their %-of-peak is against this
// machine as it is now.
namespace lossbench::measure {

/// Best of several memcpy passes over a 256 MiB buffer (far beyond any
/// cache), in bytes per second, counting bytes read plus bytes written.
double measure_cpu_copy_bandwidth();

}  // namespace lossbench::measure
