#pragma once
// Bytes that each benchmarked variant must move through memory, as code, so
// that the bandwidth and %-of-peak counters and docs/PERF.md agree, and the
// formulas are unit-tested (tests/measure/test_host_traffic.cpp).
#include <cstdint>

#include "lossbench/core/dtype.hpp"
#include "lossbench/core/loss_kind.hpp"

namespace lossbench::measure {

/// forward: the loss only. forward_grad: loss and gradient. in_place: the
/// gradient written over the logits (same bytes as forward_grad, one buffer less).
enum class Pass { forward, forward_grad, in_place };

struct TrafficCase {
  Pass pass = Pass::forward_grad;
  Reduction reduction = Reduction::mean;
  DType dtype = DType::f32;
  std::int64_t n = 0;
  Activation activation = Activation::sigmoid;  // identity: the unfused baseline has no sigmoid step
  bool full_weight = false;  // a weight of the input's shape: one more read of T per element
};

/// The fused kernel's compulsory traffic, T = sizeof(dtype): read z and y
/// (2T), write g unless forward (T), write ℓ for reduction none (T), read a
/// weight of the input's shape when it has one (T; a broadcast weight stays
/// in cache and counts 0). The tile
/// partials (4 bytes per 4096 elements, written and read once) are included.
std::int64_t fused_bytes(const TrafficCase& c);

/// The unfused baseline (kernels/loss/unfused_baseline.cuh), with intermediates in
/// memory: sigmoid (read z, write a: 2T), elementwise loss (read a, y: 2T;
/// write ℓ in float: 4), the reduction (read ℓ: 4), and for a gradient the
/// gradient kernel (read a, y, write g: 3T). Only mean and sum. Without the
/// sigmoid (activation identity) the loss and gradient kernels read z: 2T less.
std::int64_t unfused_bytes(const TrafficCase& c);

/// Softmax cross-entropy with class indices, mean, loss and gradient:
/// rows × classes logits of `dtype`, one label of `label_bytes` per row.
struct SoftmaxTrafficCase {
  std::int64_t rows = 0;
  std::int64_t classes = 0;
  DType dtype = DType::f32;
  int label_bytes = 8;  // int64 class indices
  bool class_weight = false;  // V class weights, read once (each row's w_t and w_j then hit cache)
};

/// The fused kernel's compulsory traffic, T = sizeof(dtype), L = label
/// bytes: read z (V·T) and the label (L), write g (V·T), per row:
/// 2·V·T + L; with class weights, + V·T once a call. What a fused kernel
/// re-reads (the labels counted for the mean's divisor, its tile partials)
/// is left out: it is not compulsory, so it shows as a lower % of the copy
/// bandwidth.
std::int64_t softmax_fused_bytes(const SoftmaxTrafficCase& c);

/// The unfused baseline (kernels/loss/softmax_unfused_baseline.cuh), each
/// kernel moving what it must, per row: log_softmax reads z, writes log p
/// (2·V·T); the NLL gather reads the label, log p at it and writes ℓ in
/// float (L + T + 4); the count of rows not ignored reads the label (L);
/// the reduction reads ℓ (4); the backward reads the label and log p and
/// writes g (L + 2·V·T). In all 4·V·T + 3·L + T + 8; the few per-call
/// scalars (sum, count, multiplier) are left out.
std::int64_t softmax_unfused_bytes(const SoftmaxTrafficCase& c);

/// One training step of the single-layer model (train_step.hpp): X n × d,
/// Y n × k, W d × k; X float32 (4 bytes) or uint8 pixels (1), the rest float32.
/// The trainer's steps (trainer.hpp) read their rows through an index each
/// (`gathered`) and update W and b in place (`sgd_update`).
struct TrainStepShape {
  std::int64_t n = 0;
  int d = 0;
  int k = 0;
  int input_bytes = 4;
  bool gathered = false;
  bool sgd_update = false;
};

/// The fused step (kernels/train/train_step.cuh) as the kernels ask it of global
/// memory: X once (4·n·d) and Y (4·n·k); every block reads W and b
/// (4·(d·k + k)) and writes its dW, db partials (4·(d·k + k)) and its loss
/// partial (8), which the finalize kernel reads back once; the finalize
/// kernel writes dW, db and L (4·d·k + 4·k + 8). Blocks as train_step_partition.
/// With uint8 X a row costs d bytes, not 4·d; a gathered row also costs its
/// 4-byte index; an update reads W and b and writes them back instead of
/// writing dW and db.
/// W's re-reads and the partials (≤ 256 blocks) may be served by L2, so
/// DRAM may see less than this at small n; at large n X dominates.
std::int64_t fused_train_step_bytes(const TrainStepShape& s);

/// The framework-style baseline (train_step_baseline.hpp), assuming each
/// library call reads its operands from memory once and writes its result
/// once (the GEMMs' small operand, W or dZ's k columns, stays on chip while X
/// streams; cuBLAS split-K partials in its workspace are not counted):
/// the bias broadcast reads b and n ones and writes Z; GEMM1 reads X, W and
/// Z (beta = 1) and writes Z; the fused loss kernel reads Z, Y and writes dZ
/// (fused_bytes for n·k elements, with its tile partials); the loss scaling
/// reads and writes 8 bytes; GEMM2 reads X and dZ and writes dW; the column
/// sums read dZ and n ones and write db. Per row: 8·d + 32·k + 8 bytes,
/// against the fused step's 4·d + 4·k: about 2× for k ≪ d.
std::int64_t baseline_train_step_bytes(const TrainStepShape& s);

/// A device-to-device copy of `bytes` moves twice that: read plus write.
constexpr std::int64_t copy_traffic(std::int64_t bytes) { return 2 * bytes; }

}  // namespace lossbench::measure
