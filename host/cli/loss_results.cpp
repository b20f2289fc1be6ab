#include "loss_results.hpp"

namespace lossbench::cli {

std::optional<double> read_reduced_loss(const BackendBuffer& reduced, bool reduces) {
  if (!reduces) return std::nullopt;
  double value = 0;
  reduced.download(&value, sizeof value);
  return value;
}

std::vector<unsigned char> download_bytes(const BackendBuffer& buffer, std::size_t bytes) {
  std::vector<unsigned char> host(bytes);
  buffer.download(host.data(), bytes);
  return host;
}

}  // namespace lossbench::cli
