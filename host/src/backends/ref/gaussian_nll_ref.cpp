// The ref backend of gaussian_nll(): the double-precision reference on host
// pointers, inputs converted exactly from their dtype, each output rounded
// once to it.
#include <cstddef>
#include <vector>

#include "backends/ref/dtype_arrays.hpp"
#include "backends/ref/ref_backend.hpp"
#include "lossbench/reference/gaussian_nll_reference.hpp"

namespace lossbench::detail {

void gaussian_nll_ref(const GaussianNllCall& call, void*, void*) {
  const auto n = static_cast<std::size_t>(call.n);
  // The reference returns whole vectors, so writing a gradient over its
  // input afterwards is safe.
  const reference::GaussianNllResult result =
      reference::gaussian_nll(load_all(call.mu, call.dtype, n), load_all(call.target, call.dtype, n),
                              load_all(call.var, call.dtype, n), {call.eps, call.full}, call.reduction);
  if (call.grad_mu != nullptr) store_all(call.grad_mu, call.dtype, result.grad_mean, call.grad_scale);
  if (call.grad_var != nullptr) store_all(call.grad_var, call.dtype, result.grad_var, call.grad_scale);
  if (call.elementwise_loss != nullptr) store_all(call.elementwise_loss, call.dtype, result.losses);
  if (call.reduced_loss != nullptr) *call.reduced_loss = *result.reduced_loss;
}

}  // namespace lossbench::detail
