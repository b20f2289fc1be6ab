// Compiled by nvcc only (never run): the softmax and Gaussian NLL math must
// build as device code, as it will in the kernels that come next.
#include "kernels/loss/softmax_math.cuh"
#include "kernels/loss/gaussian_nll_math.cuh"
using namespace lossbench::kernels;
__global__ void softmax_math_compiles(const float* z, const float* q, float* out, int v) {
  SoftmaxRowState row;
  for (int j = 0; j < v; ++j) row = softmax_push(row, z[j], q[j]);
  row = softmax_combine(row, SoftmaxRowState{});
  const LogSumExp lse = softmax_lse(row);
  SoftmaxCeParams params{0.1f, 1e-4f};
  out[0] = softmax_ce_hard_loss(row, lse, z[0], params);
  out[1] = softmax_ce_hard_grad(lse, z[1], true, float(v), params);
  out[2] = softmax_ce_soft_loss(row, lse) + softmax_soft_grad(lse, z[0], q[0], row.q_sum);
  out[3] = kl_div_row_loss(row, lse) + kl_div_element(lse, z[0], q[0]) + softmax_entropy(row, lse);
  const GaussianNllResult g = gaussian_nll(z[0], z[1], q[0], GaussianNllParams{});
  out[4] = g.loss + g.grad_mean + g.grad_var;
}
