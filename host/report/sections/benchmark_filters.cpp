#include "sections/benchmark_filters.hpp"

namespace lossbench::report {

// Names end with the size and then "/manual_time" (or a repetition's
// suffix), so each alternative ends with '/': 65536 must not match 655360.
std::string loss_bench_filter(bool gpu, bool quick) {
  if (!gpu) {
    return "^(cpu_reference/(bce|mse)/f32/forward_grad/mean/(4096|65536)"
           "|cpu_fused/(bce|mse)/f32/forward_grad/mean/(4096|65536|16777216))/";
  }
  if (quick) {
    return "^(fused/bce/(f32|bf16)/forward_grad/mean/cold/(1048576|16777216|67108864)"
           "|unfused/bce/(f32|bf16)/forward_grad/mean/cold/67108864"
           "|softmax_ce/(fused|unfused)/(f32|bf16)/N=4096/V=32768"
           "|cpu_fused/bce/f32/forward_grad/mean/(65536|16777216)"
           "|cpu_reference/bce/f32/forward_grad/mean/65536)/";
  }
  return "^(fused/bce/(f32|bf16)/forward_grad/mean/cold/(65536|262144|1048576|4194304|16777216|67108864|268435456)"
         "|unfused/bce/(f32|bf16)/forward_grad/mean/cold/(65536|1048576|16777216|67108864)"
         "|(fused|unfused)/(bce|mse)/(f32|bf16)/forward_grad/mean/batched/(1048576|67108864)"
         "|(fused|unfused)/mse/(f32|bf16)/forward_grad/mean/cold/16777216"
         "|fused/bce/f16/forward_grad/mean/cold/268435456"
         "|(fused|unfused)/bce/f32/forward/mean/cold/67108864"
         "|fused/mse/f32/forward/mean/cold/268435456"
         "|cpu_fused/bce/(f32|f16)/forward_grad/mean/(65536|1048576|16777216)"
         "|cpu_reference/bce/f32/forward_grad/mean/(65536|1048576)"
         "|softmax_ce/(fused|unfused)/(f32|bf16)/N=[0-9]+/V=[0-9]+"
         "|softmax_ce/fused\\+class_weight/(f32|bf16)/N=(4194304|8192|1024)/V=[0-9]+)/";
}

std::string train_step_bench_filter(bool gpu, bool quick) {
  if (!gpu) {
    return quick ? "^train_step/ref/bce/d:784/k:10/256/"
                 : "^(train_step/ref/bce/d:784/k:10/256|train_step/emu/bce/d:784/k:10/64)/";
  }
  if (quick) return "^train_step/(fused|baseline)/bce/d:784/k:(10|16)/cold/(16384|262144)/";
  return "^train_step/(fused|baseline)/bce/d:784/k:(1|10|16)/(cold|batched)/(16384|65536|262144)/";
}

}  // namespace lossbench::report
