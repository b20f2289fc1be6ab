"""Whether two results agree, and the tolerances the comparison uses.

Arrays (gradients) are compared element by element as llm.c does, with an
absolute part scaled to the largest reference value, so that an element whose
value cancels (σ(z) ≈ y) is judged against the size of the gradient, not
against its own tiny value:

    |value_i − reference_i| ≤ rtol · (max_j |reference_j| + |reference_i|)

The error is reported in units of that bound (≤ 1 agrees), with the largest
absolute and relative errors. The reference is PyTorch in float64 on the same
inputs (rounded to the compared dtype first), so both PyTorch in f32/bf16 and
lossbench are judged against the same numbers.
"""

import math
from dataclasses import dataclass

# Gradient and loss, relative, per dtype of the computation.
#   f32: 1e-5. PyTorch eager computes σ, the loss and the backward in a few
#        float32 roundings (~1e-7 each); lossbench's own bound is 1e-6 for
#        the gradient and 1e-5 for a reduced loss (fused_loss_bounds.hpp).
#   bf16: 2^-6. bf16 keeps 8 significant bits (a rounding is up to 2^-9);
#        PyTorch eager rounds each intermediate (σ(z), a − y, ...) to bf16,
#        so several roundings add up; 2^-6 allows eight of them, while a
#        wrong formula is off by O(1).
RTOL = {"f32": 1e-5, "bf16": 2.0**-6}

# The training epoch: PyTorch and lossbench shuffle in different orders, so
# their runs differ by what the order does to SGD, which dwarfs rounding.
# Measured with lossbench train --init zero --lr 0.1 --epochs 1 --backend ref
# on Fashion-MNIST under five seeds (seeds change only the order here): the
# epoch's training loss spread over 0.17% at batch 64 and at batch 4096; test
# accuracy over 1.8 percentage points at batch 64 (79.3%..81.1%) and 0.4 at
# batch 4096. The tolerances are about 6x and 2x those spreads.
TRAIN_LOSS_RTOL = 0.01
TEST_ACCURACY_ATOL = 0.04


@dataclass
class ArrayErrors:
    max_abs: float   # max |value − reference|
    max_rel: float   # max |value − reference| / |reference| over nonzero references
    units: float     # max error in units of the bound: ≤ 1 agrees (inf for a NaN where the reference has none)
    worst_index: int


def array_errors(values, reference, rtol):
    """Errors of the sequence `values` against `reference` (same length) under tolerance `rtol`."""
    if len(values) != len(reference):
        raise ValueError(f"{len(values)} values against {len(reference)} reference values")
    scale = max((abs(r) for r in reference if not math.isnan(r)), default=0.0)
    max_abs = max_rel = units = 0.0
    worst = -1
    for i, (v, r) in enumerate(zip(values, reference)):
        if math.isnan(r) and math.isnan(v):
            continue
        error = abs(v - r) if not (math.isnan(v) or math.isnan(r)) else math.inf
        bound = rtol * (scale + abs(r))
        u = error / bound if bound > 0 else (0.0 if error == 0 else math.inf)
        if error > max_abs:
            max_abs = error
        if r != 0 and error / abs(r) > max_rel:
            max_rel = error / abs(r)
        if worst < 0 or u > units:
            units, worst = u, i
    return ArrayErrors(max_abs, max_rel, units, worst)


def scalar_agrees(value, reference, rtol):
    """Whether a reduced loss agrees: |value − reference| ≤ rtol · |reference| (NaN only with NaN)."""
    if value is None or reference is None:
        return value is None and reference is None
    if math.isnan(reference) or math.isnan(value):
        return math.isnan(reference) and math.isnan(value)
    return abs(value - reference) <= rtol * abs(reference)


def relative_error(value, reference):
    if value is None or reference is None:
        return math.inf
    if reference == 0:
        return 0.0 if value == 0 else math.inf
    return abs(value - reference) / abs(reference)


def training_agrees(loss, accuracy, other_loss, other_accuracy):
    """Whether two training epochs agree within TRAIN_LOSS_RTOL and TEST_ACCURACY_ATOL;
    returns (bool, text saying by how much)."""
    loss_error = relative_error(loss, other_loss)
    accuracy_error = abs(accuracy - other_accuracy)
    ok = loss_error <= TRAIN_LOSS_RTOL and accuracy_error <= TEST_ACCURACY_ATOL
    text = (f"train loss {loss_error:.2%} apart (tolerance {TRAIN_LOSS_RTOL:.0%}), test accuracy "
            f"{100 * accuracy_error:.2f} points apart (tolerance {100 * TEST_ACCURACY_ATOL:.0f})")
    return ok, text
