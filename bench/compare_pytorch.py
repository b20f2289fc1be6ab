#!/usr/bin/python3
"""PyTorch side by side with lossbench, on the same inputs.

    bench/compare_pytorch.py --lossbench build/default/host/cli/lossbench --device cuda --out torch.json [--quick]

Two kinds of case, each run by PyTorch eager, torch.compile (when it works)
and lossbench, timed and checked:

1. Loss forward + backward, mean reduction: BCE with logits
   (F.binary_cross_entropy_with_logits) and MSE of the sigmoid
   (½·F.mse_loss(σ(z), y), lossbench's C = ½(y − σ(z))²) and without it
   (½·F.mse_loss(z, y), `--activation identity`), in f32 and bf16,
   n = 2^20 and 2^26 on the GPU, 2^20 and 2^24 on the CPU (2^20 only with --quick). The inputs are
   made once in float64 and rounded to the dtype; the same rounded values go
   to PyTorch and, as float32 .npy files, to `lossbench loss --dtype D`
   (float32 holds every bf16 value exactly). Both are checked against PyTorch
   in float64 on those inputs: the gradient element by element and the loss
   (lossbench_compare/agreement.py has the rule and the tolerances).
   Then the same with PyTorch's weights: BCE with `weight` (one per row,
   broadcast over 16 columns) and `pos_weight` (one per column), n = 2^20;
   and softmax cross-entropy with hard labels (F.cross_entropy), without and
   with class weights and label smoothing 0.1, (N, V) = (65536, 10),
   (4096, 1024) (--quick) and (16384, 1024), (1024, 32768).
   Times are medians of repeated calls: for PyTorch, one forward + backward
   (every kernel it launches, between CUDA events on the GPU); for lossbench,
   its --repeats timing of the one fused kernel (CUDA events), without file
   I/O or copies.
2. One training epoch of the single sigmoid layer (z = xW + b, BCE summed
   over the 10 outputs and averaged over the batch, plain SGD with lr 0.1, W
   and b zero at the start) on 60000 × 784 uint8 pixels scaled by 1/255, 10
   classes one-hot, batch 64 and 4096: `lossbench train --init zero` against
   torch.nn.Linear + torch.optim.SGD. The data are Fashion-MNIST when its
   files are installed (/usr/share/datasets/fashion-mnist, or --data DIR),
   else synthetic images written as IDX files that both read. Times are the
   epoch's steps (lossbench's `seconds` column; PyTorch's loop, synchronised,
   after a warm-up); the epochs' training loss and test accuracy must agree
   within the tolerances of agreement.py, which allow for the two shuffling
   in different orders.

On the CPU, lossbench runs --backend cpu (SIMD + threads, as many threads
as the machine has unless LOSSBENCH_CPU_THREADS says otherwise) against
PyTorch on the CPU (its default intra-op threads).

Writes --out as JSON (its contract is in lossbench_compare/report.py; read
by `lossbench report`) and prints a table. Without PyTorch, or on --device
cuda without a GPU that torch sees, it prints one line, writes status
"skipped" and exits 0. Exit status: 0 ok or skipped, 1 a disagreement or a
failed run (status "failed"), 2 bad usage. NumPy is never needed.
"""

import argparse
import ctypes
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lossbench_compare import agreement, idx, lossbench_output, npy, report  # noqa: E402

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
CLASSES = 10
LEARNING_RATE = 0.1


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--lossbench", required=True, help="the lossbench executable")
    parser.add_argument("--device", choices=("cuda", "cpu"), required=True,
                        help="cuda: PyTorch on the GPU against lossbench --backend cuda; "
                             "cpu: PyTorch on the CPU against lossbench --backend cpu")
    parser.add_argument("--out", required=True, help="JSON results (replaced whole)")
    parser.add_argument("--quick", action="store_true", help="n = 2^20 only and fewer repeats")
    parser.add_argument("--no-compile", action="store_true", help="leave torch.compile out")
    parser.add_argument("--data", help=f"Fashion-MNIST IDX files (default {FASHION_MNIST} when present, "
                                       "else synthetic data)")
    args = parser.parse_args(argv)
    if not (os.path.isfile(args.lossbench) and os.access(args.lossbench, os.X_OK)):
        parser.error(f"--lossbench {args.lossbench}: not an executable file")
    if args.data and not idx.present(args.data):
        parser.error(f"--data {args.data}: no Fashion-MNIST IDX files there")
    out_directory = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(out_directory):
        parser.error(f"--out {args.out}: directory {out_directory} does not exist")
    return args


class Comparison:
    """Runs the cases on one device, collecting rows and problems."""

    def __init__(self, torch, args, work):
        self.torch = torch
        self.F = torch.nn.functional
        self.args = args
        self.work = work
        self.device = torch.device(args.device)
        self.cuda = args.device == "cuda"
        self.backend = "cuda" if self.cuda else "cpu"
        self.repeats = (10 if args.quick else 50) if self.cuda else (3 if args.quick else 10)
        self.rows = []
        self.failures = []      # runs that did not complete: status failed
        self.notes = []         # what the reader should know (torch.compile failing)
        self.compile_error = "left out (--no-compile)" if args.no_compile else None

    # ---- timing -----------------------------------------------------------

    def synchronize(self):
        if self.cuda:
            self.torch.cuda.synchronize()

    def milliseconds(self, work):
        """Milliseconds of one call of `work`: between CUDA events on the GPU, wall time on the CPU."""
        if self.cuda:
            start = self.torch.cuda.Event(enable_timing=True)
            stop = self.torch.cuda.Event(enable_timing=True)
            start.record()
            work()
            stop.record()
            stop.synchronize()
            return start.elapsed_time(stop)
        begin = time.perf_counter()
        work()
        return (time.perf_counter() - begin) * 1e3

    def compiled(self, function, case):
        """torch.compile(function), or None once compiling has failed (recorded once, with the case)."""
        if self.compile_error is not None:
            return None
        try:
            return self.torch.compile(function)
        except Exception as e:  # noqa: BLE001 - any failure of the compiler is reported, not fatal
            self.compile_failed(e, case)
            return None

    def compile_failed(self, error, case):
        first_line = (str(error).strip().splitlines() or [""])[0][:300]
        self.compile_error = f"{type(error).__name__}: {first_line}"
        self.notes.append(f"torch.compile failed on {case} ({self.compile_error}); not tried after that")

    # ---- 1. loss forward + backward ---------------------------------------

    def loss_functions(self):
        F, torch = self.F, self.torch
        return {
            "bce": lambda z, y: F.binary_cross_entropy_with_logits(z, y, reduction="mean"),
            "mse": lambda z, y: 0.5 * F.mse_loss(torch.sigmoid(z), y, reduction="mean"),
            "mse-identity": lambda z, y: 0.5 * F.mse_loss(z, y, reduction="mean"),
        }

    def loss_inputs(self, n):
        """z ~ 3·N(0, 1); y: half hard labels, half soft; float64 on the CPU, seeded by n."""
        torch = self.torch
        generator = torch.Generator().manual_seed(n)
        z = 3.0 * torch.randn(n, generator=generator, dtype=torch.float64)
        soft = torch.rand(n, generator=generator, dtype=torch.float64)
        hard = (torch.rand(n, generator=generator, dtype=torch.float64) < 0.5).double()
        y = torch.where(torch.rand(n, generator=generator, dtype=torch.float64) < 0.5, hard, soft)
        return z, y

    def write_f32(self, path, tensor):
        """A float32 .npy file of `tensor`'s values, from its raw bytes (no NumPy)."""
        self.write_npy(path, tensor.detach().to("cpu", self.torch.float32), "<f4")

    def write_i64(self, path, tensor):
        """An int64 .npy file of `tensor`'s values (class labels)."""
        self.write_npy(path, tensor.to("cpu", self.torch.int64), "<i8")

    def write_npy(self, path, tensor, descr):
        data = tensor.contiguous()
        raw = ctypes.string_at(data.data_ptr(), data.numel() * data.element_size())
        npy.write(path, descr, tuple(data.shape), raw)

    def read_f32(self, path):
        descr, shape, data = npy.read(path)
        if descr != "<f4":
            raise ValueError(f"{path}: lossbench wrote {descr}, expected <f4")
        return self.torch.frombuffer(bytearray(data), dtype=self.torch.float32).reshape(shape)

    def forward_backward(self, function, z, y):
        """(median ms, loss, gradient) of `function`'s forward + backward over repeats, after warm-up."""
        z = z.detach().clone().requires_grad_(True)
        last = {}

        def once():
            z.grad = None
            last["loss"] = function(z, y)
            last["loss"].backward()

        for _ in range(3):
            once()
        self.synchronize()
        times = [self.milliseconds(once) for _ in range(self.repeats)]
        return statistics.median(times), float(last["loss"].detach().double()), z.grad.detach()

    def tensor_errors(self, values, reference, rtol):
        torch = self.torch
        v = values.to(self.device, torch.float64).reshape(-1)
        r = reference.to(self.device, torch.float64).reshape(-1)
        error = torch.nan_to_num((v - r).abs(), nan=math.inf)
        scale = r.abs().max()
        units = error / (rtol * (scale + r.abs()))
        nonzero = r != 0
        worst = int(units.argmax())
        return agreement.ArrayErrors(
            max_abs=float(error.max()),
            max_rel=float((error[nonzero] / r[nonzero].abs()).max()) if bool(nonzero.any()) else 0.0,
            units=float(units[worst]), worst_index=worst)

    def judge(self, loss, grad, reference_loss, reference_grad, dtype):
        rtol = agreement.RTOL[dtype]
        errors = self.tensor_errors(grad, reference_grad, rtol)
        loss_ok = agreement.scalar_agrees(loss, reference_loss, rtol)
        ok = loss_ok and errors.units <= 1.0
        detail = (f"loss rel err {agreement.relative_error(loss, reference_loss):.1e}, grad max abs err "
                  f"{errors.max_abs:.1e}, max rel err {errors.max_rel:.1e}, {errors.units:.2f} of the bound "
                  f"(rtol {rtol:g}, vs torch float64)")
        return ok, detail

    def run_lossbench_loss(self, arguments, dtype, grad_path):
        """`lossbench loss` with `arguments` (the loss, its inputs and options), mean reduction."""
        command = [self.args.lossbench, "loss", *arguments, "--reduction", "mean", "--grad-out", grad_path,
                   "--backend", self.backend, "--dtype", dtype, "--repeats", str(self.repeats)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            raise RuntimeError(f"`{' '.join(command)}` exited {result.returncode}: {result.stderr.strip()[-500:]}")
        parsed = lossbench_output.parse_loss_json(result.stdout)
        return parsed, self.read_f32(grad_path)

    def loss_cases(self):
        torch = self.torch
        sizes = [2**20] if self.args.quick else [2**20, 2**26 if self.cuda else 2**24]
        functions = self.loss_functions()
        for n in sizes:
            z64, y64 = self.loss_inputs(n)
            for dtype, torch_dtype in (("f32", torch.float32), ("bf16", torch.bfloat16)):
                # Rounded once to the dtype (to nearest even, as lossbench rounds its inputs).
                z = z64.to(torch_dtype).to(self.device)
                y = y64.to(torch_dtype).to(self.device)
                z_path = os.path.join(self.work, f"z_{dtype}_{n}.npy")
                y_path = os.path.join(self.work, f"y_{dtype}_{n}.npy")
                self.write_f32(z_path, z)
                self.write_f32(y_path, y)
                for loss, function in functions.items():
                    arguments = [*lossbench_output.loss_options(loss), "--logits", z_path, "--targets", y_path]
                    self.compare(f"{loss}/{dtype}/n={n}", dtype, function, function, z, y, arguments)
                os.unlink(z_path)
                os.unlink(y_path)

    def weighted_loss_cases(self):
        """BCE with weight (one per row of 16 columns, broadcast) and pos_weight (one per column)."""
        torch, F = self.torch, self.F
        n, columns = 2**20, 16
        z64, y64 = self.loss_inputs(n)
        generator = torch.Generator().manual_seed(n + 1)
        w64 = 2.0 * torch.rand(n // columns, 1, generator=generator, dtype=torch.float64)
        p64 = 0.5 + 3.5 * torch.rand(columns, generator=generator, dtype=torch.float64)
        for dtype, torch_dtype in (("f32", torch.float32), ("bf16", torch.bfloat16)):
            z, y, w, p = (t.to(torch_dtype).to(self.device) for t in (z64.reshape(-1, columns),
                                                                      y64.reshape(-1, columns), w64, p64))
            paths = {name: os.path.join(self.work, f"{name}_{dtype}.npy") for name in "zywp"}
            for name, tensor in zip("zywp", (z, y, w, p)):
                self.write_f32(paths[name], tensor)
            arguments = ["--loss", "bce", "--logits", paths["z"], "--targets", paths["y"], "--weight", paths["w"],
                         "--pos-weight", paths["p"]]
            w_ref, p_ref = w.double(), p.double()
            self.compare(f"bce+weight/{dtype}/n={n}", dtype,
                         lambda z, y: F.binary_cross_entropy_with_logits(z, y, weight=w, pos_weight=p),
                         lambda z, y: F.binary_cross_entropy_with_logits(z, y, weight=w_ref, pos_weight=p_ref),
                         z, y, arguments)
            for path in paths.values():
                os.unlink(path)

    def softmax_cases(self):
        """Softmax cross-entropy of hard labels, plain and with class weights and label smoothing 0.1."""
        torch, F = self.torch, self.F
        shapes = [(65536, 10), (4096, 1024)] if self.args.quick else [(65536, 10), (16384, 1024), (1024, 32768)]
        for rows, classes in shapes:
            generator = torch.Generator().manual_seed(rows * classes)
            z64 = 3.0 * torch.randn(rows, classes, generator=generator, dtype=torch.float64)
            labels = torch.randint(0, classes, (rows,), generator=generator)
            w64 = 0.5 + 1.5 * torch.rand(classes, generator=generator, dtype=torch.float64)
            t_path = os.path.join(self.work, "t.npy")
            self.write_i64(t_path, labels)
            labels = labels.to(self.device)
            for dtype, torch_dtype in (("f32", torch.float32), ("bf16", torch.bfloat16)):
                z, w = z64.to(torch_dtype).to(self.device), w64.to(torch_dtype).to(self.device)
                z_path, w_path = os.path.join(self.work, "z.npy"), os.path.join(self.work, "w.npy")
                self.write_f32(z_path, z)
                self.write_f32(w_path, w)
                arguments = ["--loss", "softmax-ce", "--logits", z_path, "--targets", t_path]
                shape = f"{dtype}/N={rows}/V={classes}"
                self.compare(f"softmax-ce/{shape}", dtype, F.cross_entropy, F.cross_entropy, z, labels, arguments)
                w_ref = w.double()
                self.compare(f"softmax-ce+class_weight/{shape}", dtype,
                             lambda z, t: F.cross_entropy(z, t, weight=w, label_smoothing=0.1),
                             lambda z, t: F.cross_entropy(z, t, weight=w_ref, label_smoothing=0.1),
                             z, labels, [*arguments, "--class-weight", w_path, "--label-smoothing", "0.1"])
                os.unlink(z_path)
                os.unlink(w_path)
            os.unlink(t_path)

    def compare(self, case, dtype, function, reference_function, z, y, arguments):
        """One case: `function` (PyTorch in z's dtype) and lossbench, each against reference_function in float64."""
        print(f"compare_pytorch: {case}", file=sys.stderr, flush=True)
        reference_z = z.double().requires_grad_(True)
        reference = reference_function(reference_z, y.double() if y.is_floating_point() else y)
        reference.backward()
        reference_loss, reference_grad = float(reference.detach()), reference_z.grad.detach()
        del reference_z, reference
        self.loss_case(case, dtype, function, z, y, reference_loss, reference_grad, arguments)

    def loss_case(self, case, dtype, function, z, y, reference_loss, reference_grad, arguments):
        try:
            ms, loss, grad = self.forward_backward(function, z, y)
            ok, detail = self.judge(loss, grad, reference_loss, reference_grad, dtype)
            self.rows.append(report.Row(case, "torch-eager", ms, ok, detail))
        except Exception as e:  # noqa: BLE001 - recorded as a failed run, the other cases go on
            self.failures.append(f"torch eager on {case}: {type(e).__name__}: {e}")
        compiled = self.compiled(function, case)
        if compiled is not None:
            try:
                ms, loss, grad = self.forward_backward(compiled, z, y)
                ok, detail = self.judge(loss, grad, reference_loss, reference_grad, dtype)
                self.rows.append(report.Row(case, "torch-compile", ms, ok, detail))
            except Exception as e:  # noqa: BLE001 - torch.compile failing is a note, not a failure
                self.compile_failed(e, case)
        grad_path = os.path.join(self.work, "grad.npy")
        try:
            parsed, grad = self.run_lossbench_loss(arguments, dtype, grad_path)
            ok, detail = self.judge(parsed["loss"], grad, reference_loss, reference_grad, dtype)
            detail += f"; fused kernel only, min {parsed['times_ms']['min']:.4f} ms"
            self.rows.append(report.Row(case, "lossbench", parsed["time_ms"], ok, detail))
        except Exception as e:  # noqa: BLE001 - recorded as a failed run, the other cases go on
            self.failures.append(f"lossbench on {case}: {type(e).__name__}: {e}")
        finally:
            if os.path.exists(grad_path):
                os.unlink(grad_path)

    # ---- 2. the training epoch --------------------------------------------

    def training_data(self):
        """(directory lossbench reads, description, {key: (dims, bytes)}): real Fashion-MNIST or synthetic."""
        directory = self.args.data or (FASHION_MNIST if idx.present(FASHION_MNIST) else None)
        if directory:
            return directory, f"Fashion-MNIST from {directory}", idx.read_dataset(directory)
        torch = self.torch
        generator = torch.Generator().manual_seed(20261124)
        # Ten random prototype images, each example a prototype under heavy
        # uniform noise: learnable by one linear layer, as Fashion-MNIST is.
        prototypes = torch.rand(CLASSES, 784, generator=generator)

        def images(count):
            labels = torch.randint(0, CLASSES, (count,), generator=generator, dtype=torch.uint8)
            noise = torch.rand(count, 784, generator=generator)
            pixels = ((0.3 * prototypes[labels.long()] + 0.7 * noise) * 255).round().to(torch.uint8)
            return self.raw_bytes(pixels), self.raw_bytes(labels)

        train_images, train_labels = images(60000)
        test_images, test_labels = images(10000)
        directory = os.path.join(self.work, "synthetic-fashion-mnist")
        idx.write_dataset(directory, train_images, train_labels, test_images, test_labels)
        return directory, "synthetic Fashion-MNIST-shaped data (no Fashion-MNIST files here)", idx.read_dataset(directory)

    def raw_bytes(self, tensor):
        tensor = tensor.contiguous()
        return ctypes.string_at(tensor.data_ptr(), tensor.numel() * tensor.element_size())

    def tensors(self, parts, images, labels):
        torch = self.torch
        dims, pixels = parts[images]
        x = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).reshape(dims[0], -1).to(self.device)
        classes = torch.frombuffer(bytearray(parts[labels][1]), dtype=torch.uint8).to(self.device).long()
        return x.float() / 255.0, classes

    def torch_epoch(self, x, classes, test_x, test_classes, batch, compile_step, case):
        """(milliseconds, train loss, test accuracy) of one epoch, or None when torch.compile failed."""
        torch, F = self.torch, self.F
        targets = F.one_hot(classes, CLASSES).float()
        model = torch.nn.Linear(x.shape[1], CLASSES).to(self.device)
        optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)

        def batch_loss(inputs, labels):
            return F.binary_cross_entropy_with_logits(model(inputs), labels, reduction="sum") / inputs.shape[0]

        step_loss = batch_loss
        if compile_step:
            step_loss = self.compiled(batch_loss, case)
            if step_loss is None:
                return None
        count = x.shape[0]
        generator = torch.Generator(device=self.device).manual_seed(1)

        def step(rows):
            loss = step_loss(x[rows], targets[rows])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            return loss.detach().double() * rows.numel()

        # Warm-up (cuBLAS, the compiler) on a full and on the last, smaller batch; then W, b = 0 again.
        try:
            step(torch.arange(min(batch, count), device=self.device))
            if count % batch:
                step(torch.arange(count % batch, device=self.device))
        except Exception as e:  # noqa: BLE001
            if not compile_step:
                raise
            self.compile_failed(e, case)
            return None
        with torch.no_grad():
            model.weight.zero_()
            model.bias.zero_()
        self.synchronize()
        begin = time.perf_counter()
        order = torch.randperm(count, device=self.device, generator=generator)
        total = torch.zeros((), dtype=torch.float64, device=self.device)
        for first in range(0, count, batch):
            total += step(order[first:first + batch])
        self.synchronize()
        seconds = time.perf_counter() - begin
        with torch.no_grad():
            accuracy = float((model(test_x).argmax(dim=1) == test_classes).double().mean())
        return seconds * 1e3, float(total) / count, accuracy

    def lossbench_epoch(self, directory, batch):
        csv_path = os.path.join(self.work, f"train_{batch}.csv")
        command = [self.args.lossbench, "train", "--data", directory, "--epochs", "1", "--batch", str(batch),
                   "--init", "zero", "--lr", str(LEARNING_RATE), "--lr-schedule", "constant", "--loss", "bce",
                   "--backend", self.backend, "--csv", csv_path]
        result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
        if result.returncode != 0:
            raise RuntimeError(f"`{' '.join(command)}` exited {result.returncode}: {result.stderr.strip()[-500:]}")
        with open(csv_path) as f:
            row = lossbench_output.parse_training_csv(f.read())[-1]
        return row["seconds"] * 1e3, row["train_loss"], row["test_accuracy"], row["samples_per_second"]

    def training_cases(self):
        directory, description, parts = self.training_data()
        self.notes.append(f"training data: {description}")
        x, classes = self.tensors(parts, "train_images", "train_labels")
        test_x, test_classes = self.tensors(parts, "test_images", "test_labels")
        count = x.shape[0]
        for batch in (64, 4096):
            case = f"train/bce/batch={batch}"
            print(f"compare_pytorch: {case}", file=sys.stderr, flush=True)
            try:
                lossbench = self.lossbench_epoch(directory, batch)
            except Exception as e:  # noqa: BLE001
                self.failures.append(f"lossbench on {case}: {type(e).__name__}: {e}")
                lossbench = None
            for impl, compile_step in (("torch-eager", False), ("torch-compile", True)):
                if compile_step and self.compile_error is not None:
                    continue
                try:
                    result = self.torch_epoch(x, classes, test_x, test_classes, batch, compile_step, case)
                except Exception as e:  # noqa: BLE001
                    self.failures.append(f"{impl} on {case}: {type(e).__name__}: {e}")
                    continue
                if result is None:
                    continue
                ms, loss, accuracy = result
                detail = f"{count / (ms / 1e3):.0f} samples/s, train loss {loss:.6f}, test accuracy {accuracy:.2%}"
                ok = False
                if lossbench is not None:
                    ok, versus = agreement.training_agrees(loss, accuracy, lossbench[1], lossbench[2])
                    detail += f"; vs lossbench: {versus}"
                else:
                    detail += "; lossbench did not run"
                self.rows.append(report.Row(case, impl, ms, ok, detail))
            if lossbench is not None:
                ms, loss, accuracy, samples_per_second = lossbench
                eager = [r for r in self.rows if r.case == case and r.impl == "torch-eager"]
                ok = bool(eager) and eager[0].agrees
                detail = (f"{samples_per_second:.0f} samples/s, train loss {loss:.6f}, test accuracy "
                          f"{accuracy:.2%}; " + ("agrees with torch-eager" if ok else
                                                 "torch-eager did not run" if not eager else
                                                 "disagrees with torch-eager"))
                self.rows.append(report.Row(case, "lossbench", ms, ok, detail))


def device_name(torch, device):
    if device == "cuda":
        return f"cuda: {torch.cuda.get_device_name(0)}"
    return f"cpu: {platform.machine()}, {torch.get_num_threads()} torch threads"


def main(argv=None):
    args = parse_args(argv)
    try:
        import torch
    except ImportError as e:
        print(f"compare_pytorch: PyTorch is not installed ({e}): skipped, status written to {args.out}")
        report.write_json(args.out, report.document("skipped", f"PyTorch is not installed: {e}", args.device, "", []))
        return 0
    if args.device == "cuda" and not torch.cuda.is_available():
        reason = f"torch {torch.__version__} sees no CUDA device"
        print(f"compare_pytorch: {reason}: skipped, status written to {args.out}")
        report.write_json(args.out, report.document("skipped", reason, args.device, torch.__version__, []))
        return 0

    # float32 matrix products in float32, as lossbench's training step and its cuBLAS baseline (no TF32).
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    with tempfile.TemporaryDirectory(prefix="lossbench-compare-") as work:
        comparison = Comparison(torch, args, work)
        for cases in (comparison.loss_cases, comparison.weighted_loss_cases, comparison.softmax_cases,
                      comparison.training_cases):
            try:
                cases()
            except Exception as e:  # noqa: BLE001 - whatever broke is recorded; the JSON is still written
                comparison.failures.append(f"{cases.__name__}: {type(e).__name__}: {e}\n{traceback.format_exc()}")

    rows = comparison.rows
    disagreements = [f"{r.case} {r.impl}" for r in rows if not r.agrees]
    problems = comparison.failures + ([f"disagree: {', '.join(disagreements)}"] if disagreements else [])
    status = "failed" if problems else "ok"
    reason = "; ".join(problems + comparison.notes)
    device = device_name(torch, args.device)
    report.write_json(args.out, report.document(status, reason, device, torch.__version__, rows))
    print(f"PyTorch {torch.__version__} against lossbench --backend {comparison.backend} on {device}")
    print(report.table(rows))
    for line in problems + comparison.notes:
        print(f"compare_pytorch: {line}")
    print(f"compare_pytorch: {status}, written to {args.out}")
    return 0 if status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
