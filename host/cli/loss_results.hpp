#pragma once
// Reading a `lossbench loss` run's results back from the backend, the same
// way for every loss: the reduced loss (a double the call left in backend
// memory) and an output array's bytes.
#include <cstddef>
#include <optional>
#include <vector>

#include "lossbench/core/backend_buffer.hpp"

namespace lossbench::cli {

/// The double in `reduced` when the call reduced, else nothing. Waits for the device.
std::optional<double> read_reduced_loss(const BackendBuffer& reduced, bool reduces);

/// The first `bytes` of `buffer`, on the host.
std::vector<unsigned char> download_bytes(const BackendBuffer& buffer, std::size_t bytes);

}  // namespace lossbench::cli
