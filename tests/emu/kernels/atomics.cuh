#pragma once
// Atomics from every thread of many blocks onto one set of counters.
#include "kernels/common/cuda_compat.cuh"

namespace lossbench::test_kernels {

struct AtomicCounters {
  int add_int;
  unsigned add_unsigned;
  unsigned long long add_ull;
  float add_float;
  double add_double;
  int max_int;
  int min_int;
  unsigned inc_wrapping;
  int cas_claimed;  // set once, by whichever thread's CAS wins
  int cas_winners;  // how many threads' CAS saw the old value -1
  int exch_last;
  unsigned long long exch_seen;  // the old values every exchange returned, summed mod 2^64
};

__global__ void hammer_atomics(AtomicCounters* c) {
  const int id = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  atomicAdd(&c->add_int, 1);
  atomicAdd(&c->add_unsigned, 2u);
  atomicAdd(&c->add_ull, 3ull);
  atomicAdd(&c->add_float, 0.5f);  // exact: sums of halves stay integers/2 well below 2^24
  atomicAdd(&c->add_double, 0.25);
  atomicMax(&c->max_int, id);
  atomicMin(&c->min_int, -id);
  atomicInc(&c->inc_wrapping, 9u);  // counts 0..9 and wraps
  if (atomicCAS(&c->cas_claimed, -1, id) == -1) atomicAdd(&c->cas_winners, 1);
  // Unsigned: CUDA has no signed 64-bit atomicAdd.
  atomicAdd(&c->exch_seen, static_cast<unsigned long long>(atomicExch(&c->exch_last, id)));
}

}  // namespace lossbench::test_kernels
