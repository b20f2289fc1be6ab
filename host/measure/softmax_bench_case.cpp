#include "measure/softmax_bench_case.hpp"

#include <algorithm>
#include <random>

namespace lossbench::measure {
namespace {

// Logits: a 1 MiB random pattern, repeated (drawing 2^27 random numbers on
// the host would take longer than the benchmark); labels drawn per row.
void fill_logits(BackendBuffer& z, DType dtype) {
  const std::size_t pattern_elements = (std::size_t{1} << 20) / dtype_size(dtype);
  std::vector<unsigned char> pattern(pattern_elements * dtype_size(dtype));
  std::mt19937_64 rng(1);
  std::normal_distribution<double> logit(0.0, 4.0);
  for (std::size_t i = 0; i < pattern_elements; ++i) store_from_double(pattern.data(), dtype, i, logit(rng));
  for (std::size_t offset = 0; offset < z.size(); offset += pattern.size()) {
    z.upload(pattern.data(), std::min(pattern.size(), z.size() - offset), offset);
  }
}

void fill_labels(BackendBuffer& labels, std::int64_t rows, std::int64_t classes) {
  std::vector<std::int64_t> host(static_cast<std::size_t>(rows));
  std::mt19937_64 rng(2);
  for (std::int64_t& label : host) label = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(classes));
  labels.upload(host.data(), host.size() * sizeof(std::int64_t));
}

}  // namespace

const std::vector<SoftmaxShape>& softmax_bench_shapes() {
  static const std::vector<SoftmaxShape> shapes{
      {std::int64_t{1} << 22, 10},  {std::int64_t{1} << 18, 128}, {std::int64_t{1} << 16, 1024}, {8192, 8192},
      {4096, 32768},                 {1024, 131072},               {512, 262144}};
  return shapes;
}

SoftmaxBenchCase::SoftmaxBenchCase(Backend backend, DType dtype, std::int64_t rows, std::int64_t classes,
                                   bool weighted)
    : z(backend, static_cast<std::size_t>(rows * classes) * dtype_size(dtype)),
      labels(backend, static_cast<std::size_t>(rows) * sizeof(std::int64_t)),
      g(backend, z.size()),
      reduced(backend, sizeof(double)) {
  fill_logits(z, dtype);
  fill_labels(labels, rows, classes);
  if (weighted) {
    class_weight = BackendBuffer(backend, static_cast<std::size_t>(classes) * dtype_size(dtype));
    std::vector<unsigned char> host(class_weight.size());
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> weight(0.5, 2.0);
    for (std::int64_t j = 0; j < classes; ++j) {
      store_from_double(host.data(), dtype, static_cast<std::size_t>(j), weight(rng));
    }
    class_weight.upload(host.data(), host.size());
    call.class_weight = class_weight.data();
    call.label_smoothing = 0.1f;
  }
  call.loss = SoftmaxLoss::cross_entropy;
  call.reduction = SoftmaxReduction::mean;
  call.dtype = dtype;
  call.logits = z.data();
  call.targets = labels.data();
  call.targets_kind = SoftmaxTargets::class_index_i64;
  call.grad = g.data();
  call.reduced_loss = static_cast<double*>(reduced.data());
  call.rows = rows;
  call.classes = classes;
  if (has_softmax_loss(backend)) {
    workspace = BackendBuffer(backend, softmax_loss_workspace_size(call, backend));
    workspace.fill_bytes(0);
  }
}

}  // namespace lossbench::measure
