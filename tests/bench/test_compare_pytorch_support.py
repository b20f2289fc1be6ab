"""The parts of bench/compare_pytorch.py that need no PyTorch (bench/lossbench_compare/),
tested against lossbench itself where they meet it: .npy files written here are
what `lossbench loss` reads, IDX files written here are what `lossbench train`
trains on, and its JSON and CSV are parsed by the parsers the script uses.

    LOSSBENCH=build/default/host/cli/lossbench PYTHONPATH=bench python3 -m unittest tests/bench/test_compare_pytorch_support.py

Without LOSSBENCH set, the tests that run lossbench are skipped (ctest sets it).
"""

import array
import gzip
import json
import math
import os
import struct
import subprocess
import tempfile
import unittest

from lossbench_compare import agreement, idx, lossbench_output, npy, report

LOSSBENCH = os.environ.get("LOSSBENCH")


def needs_lossbench(test):
    return unittest.skipUnless(LOSSBENCH, "LOSSBENCH is not set to the lossbench executable")(test)


class TemporaryDirectoryTest(unittest.TestCase):
    def setUp(self):
        self._directory = tempfile.TemporaryDirectory(prefix="lossbench-compare-test-")
        self.directory = self._directory.name

    def tearDown(self):
        self._directory.cleanup()

    def path(self, name):
        return os.path.join(self.directory, name)


def f32_bytes(values):
    data = array.array("f", values)
    if struct.pack("=f", 1.0) != struct.pack("<f", 1.0):
        data.byteswap()
    return data.tobytes()


def f32_values(data):
    values = array.array("f")
    values.frombytes(data)
    if struct.pack("=f", 1.0) != struct.pack("<f", 1.0):
        values.byteswap()
    return list(values)


class Npy(TemporaryDirectoryTest):
    def test_header_is_padded_to_64_bytes_and_spells_the_shape_as_numpy(self):
        for shape, spelled in (((), "()"), ((3,), "(3,)"), ((2, 3), "(2, 3)"), ((0,), "(0,)")):
            header = npy.header("<f4", shape)
            self.assertEqual(len(header) % 64, 0, shape)
            self.assertTrue(header.endswith(b"\n"))
            self.assertIn(f"'shape': {spelled}".encode(), header)

    def test_round_trip(self):
        for descr, size in (("<f2", 2), ("<f4", 4), ("<f8", 8)):
            for shape in ((), (5,), (2, 3), (0,)):
                count = math.prod(shape)
                data = bytes((i * 7) % 256 for i in range(count * size))
                npy.write(self.path("a.npy"), descr, shape, data)
                self.assertEqual(npy.read(self.path("a.npy")), (descr, shape, data), (descr, shape))

    def test_bad_arguments_and_files_are_errors_naming_the_problem(self):
        with self.assertRaisesRegex(ValueError, "unsupported dtype '<i4'"):
            npy.header("<i4", (3,))
        with self.assertRaisesRegex(ValueError, "8 bytes of data for shape \\(3,\\)"):
            npy.write(self.path("a.npy"), "<f4", (3,), bytes(8))
        with open(self.path("text.npy"), "w") as f:
            f.write("z,y\n1,2\n")
        with self.assertRaisesRegex(ValueError, "not a .npy file"):
            npy.read(self.path("text.npy"))
        npy.write(self.path("a.npy"), "<f4", (3,), bytes(12))
        with open(self.path("a.npy"), "rb") as f:
            cut = f.read()[:-1]
        with open(self.path("cut.npy"), "wb") as f:
            f.write(cut)
        with self.assertRaisesRegex(ValueError, "11 bytes of data"):
            npy.read(self.path("cut.npy"))

    @needs_lossbench
    def test_lossbench_loss_reads_what_npy_writes_and_its_gradient_reads_back(self):
        z = [-6.0, -1.5, -0.25, 0.0, 0.5, 2.0, 7.0, 0.125]
        y = [0.0, 1.0, 0.5, 1.0, 0.0, 0.25, 1.0, 0.0]
        npy.write(self.path("z.npy"), "<f4", (2, 4), f32_bytes(z))
        npy.write(self.path("y.npy"), "<f4", (2, 4), f32_bytes(y))
        for loss in ("bce", "mse", "mse-identity"):
            with self.subTest(loss=loss):
                result = subprocess.run(
                    [LOSSBENCH, "loss", *lossbench_output.loss_options(loss), "--reduction", "mean",
                     "--logits", self.path("z.npy"),
                     "--targets", self.path("y.npy"), "--grad-out", self.path("g.npy"), "--backend", "ref",
                     "--repeats", "3"], capture_output=True, text=True, check=False)
                self.assertEqual(result.returncode, 0, result.stderr)
                parsed = lossbench_output.parse_loss_json(result.stdout)
                self.assertEqual(parsed["n"], 8)
                self.assertLessEqual(parsed["times_ms"]["min"], parsed["time_ms"])
                descr, shape, data = npy.read(self.path("g.npy"))
                self.assertEqual((descr, shape), ("<f4", (2, 4)))
                expected_loss, expected_grad = mean_loss_and_gradient(loss, z, y)
                self.assertTrue(agreement.scalar_agrees(parsed["loss"], expected_loss, 1e-6),
                                (parsed["loss"], expected_loss))
                errors = agreement.array_errors(f32_values(data), expected_grad, 1e-6)
                self.assertLessEqual(errors.units, 1.0, errors)


def mean_loss_and_gradient(loss, z, y):
    """The seed's definitions in double precision: C = mean of ℓ, dC/dz_i = dℓ_i/dz_i / n
    (mse-identity: ℓ = ½(y − z)², of z itself)."""
    n = len(z)
    total, gradient = 0.0, []
    for zi, yi in zip(z, y):
        a = 1.0 / (1.0 + math.exp(-zi))
        if loss == "bce":
            total += max(zi, 0.0) - zi * yi + math.log1p(math.exp(-abs(zi)))
            gradient.append((a - yi) / n)
        elif loss == "mse-identity":
            total += 0.5 * (yi - zi) ** 2
            gradient.append((zi - yi) / n)
        else:
            total += 0.5 * (yi - a) ** 2
            gradient.append((a - yi) * a * (1.0 - a) / n)
    return total / n, gradient


class Idx(TemporaryDirectoryTest):
    def test_encode_decode_round_trip(self):
        content = idx.encode((2, 3, 4), bytes(range(24)))
        self.assertEqual(content[:8], bytes([0, 0, 8, 3, 0, 0, 0, 2]))
        self.assertEqual(idx.decode(content), ((2, 3, 4), bytes(range(24))))

    def test_bad_content_is_an_error_naming_the_problem(self):
        with self.assertRaisesRegex(ValueError, "5 bytes for dimensions"):
            idx.encode((2, 3), bytes(5))
        with self.assertRaisesRegex(ValueError, "not an IDX file"):
            idx.decode(b"\x01\x00\x08\x01")
        with self.assertRaisesRegex(ValueError, "element type 0x0d"):
            idx.decode(bytes([0, 0, 0x0D, 1, 0, 0, 0, 1]) + bytes(4))
        with self.assertRaisesRegex(ValueError, "2 bytes of data for dimensions \\(3,\\)"):
            idx.decode(bytes([0, 0, 8, 1, 0, 0, 0, 3, 1, 2]))

    def test_dataset_written_plain_reads_back_and_gzipped_too(self):
        images = bytes(i % 256 for i in range(3 * 4))
        idx.write_dataset(self.directory, images, bytes([0, 1, 2]), images[:8], bytes([2, 1]), rows=2, cols=2)
        self.assertTrue(idx.present(self.directory))
        parts = idx.read_dataset(self.directory)
        self.assertEqual(parts["train_images"], ((3, 2, 2), images))
        self.assertEqual(parts["test_labels"], ((2,), bytes([2, 1])))
        # The .gz that Debian ships is preferred to a plain file of the same name.
        stem = os.path.join(self.directory, idx.FILES["test_labels"])
        with gzip.open(stem + ".gz", "wb") as f:
            f.write(idx.encode((2,), bytes([3, 4])))
        self.assertEqual(idx.read_dataset(self.directory)["test_labels"], ((2,), bytes([3, 4])))
        os.unlink(stem)
        os.unlink(stem + ".gz")
        self.assertFalse(idx.present(self.directory))

    @needs_lossbench
    def test_lossbench_trains_on_what_idx_writes(self):
        # 10 classes of 28×28 images, class c bright in rows 2c..2c+2: linearly separable.
        def images(labels):
            out = bytearray()
            for c in labels:
                for row in range(28):
                    out += bytes([220 if 2 * c <= row < 2 * c + 3 else 20]) * 28
            return bytes(out)

        train_labels = bytes(i % 10 for i in range(640))
        test_labels = bytes((3 * i) % 10 for i in range(100))
        idx.write_dataset(self.directory, images(train_labels), train_labels, images(test_labels), test_labels)
        csv_path = self.path("train.csv")
        result = subprocess.run(
            [LOSSBENCH, "train", "--data", self.directory, "--epochs", "2", "--batch", "64", "--init", "zero",
             "--lr", "0.1", "--lr-schedule", "constant", "--backend", "ref", "--csv", csv_path], capture_output=True, text=True, check=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("640 training examples, 100 test examples, 784 inputs, 10 classes", result.stdout)
        with open(csv_path) as f:
            rows = lossbench_output.parse_training_csv(f.read())
        self.assertEqual([row["epoch"] for row in rows], [1, 2])
        # From W = 0 every output is ½ and the loss 10·ln 2; any learning lowers it.
        self.assertLess(rows[0]["train_loss"], 10 * math.log(2))
        self.assertLess(rows[1]["train_loss"], rows[0]["train_loss"])
        self.assertGreater(rows[1]["test_accuracy"], 0.5)
        self.assertGreater(rows[1]["samples_per_second"], 0)


class LossbenchOutput(unittest.TestCase):
    def test_loss_json_is_the_last_line_with_any_extra_fields(self):
        line = json.dumps({"loss": 0.5, "n": 3, "time_ms": 0.2, "times_ms": {"min": 0.1, "median": 0.2},
                           "repeats": 3, "something_new": [1]})
        parsed = lossbench_output.parse_loss_json("a warning\n" + line + "\n\n")
        self.assertEqual(parsed["loss"], 0.5)
        self.assertEqual(parsed["times_ms"]["min"], 0.1)
        null_loss = lossbench_output.parse_loss_json(line.replace("0.5", "null", 1))
        self.assertIsNone(null_loss["loss"])

    def test_each_elementwise_loss_name_has_its_options_and_an_unknown_one_is_an_error(self):
        self.assertEqual(lossbench_output.loss_options("mse-identity"), ["--loss", "mse", "--activation", "identity"])
        self.assertEqual(lossbench_output.loss_options("bce"), ["--loss", "bce"])
        with self.assertRaisesRegex(ValueError, "unknown elementwise loss 'hinge'"):
            lossbench_output.loss_options("hinge")

    def test_loss_json_without_what_the_comparison_needs_is_an_error(self):
        for text, problem in (("", "printed nothing"), ("not json", "no JSON line"), ("[1, 2]", "not a JSON object"),
                              ('{"loss": 1, "n": 3, "time_ms": 0.1}', "no 'times_ms'"),
                              ('{"loss": "x", "n": 3, "time_ms": 1, "times_ms": {"min": 1, "median": 1}}',
                               "non-numeric loss"),
                              ('{"loss": 1, "n": 3, "time_ms": 1, "times_ms": {"median": 1}}', "times_ms.min")):
            with self.subTest(text=text), self.assertRaisesRegex(ValueError, problem):
                lossbench_output.parse_loss_json(text)

    def test_training_csv_is_read_by_header_name(self):
        text = ("samples_per_second,epoch,new_column,loss_function,train_loss,test_accuracy,seconds\n"
                "41826.8,1,x,bce,1.2368551003992538,0.81089999999999995,1.434488\n"
                "40000.0,2,y,bce,1.1,0.82,1.5\n")
        rows = lossbench_output.parse_training_csv(text)
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0]["epoch"], 1)
        self.assertEqual(rows[0]["train_loss"], 1.2368551003992538)
        self.assertEqual(rows[0]["samples_per_second"], 41826.8)
        self.assertEqual(rows[1]["new_column"], "y")

    def test_training_csv_without_a_needed_column_or_with_a_bad_value_is_an_error(self):
        with self.assertRaisesRegex(ValueError, "no column test_accuracy"):
            lossbench_output.parse_training_csv("epoch,train_loss,seconds,samples_per_second\n1,2,3,4\n")
        with self.assertRaisesRegex(ValueError, "line 2 is malformed"):
            lossbench_output.parse_training_csv(
                "epoch,train_loss,test_accuracy,seconds,samples_per_second\n1,abc,0.5,1,2\n")
        with self.assertRaisesRegex(ValueError, "no epoch"):
            lossbench_output.parse_training_csv("epoch,train_loss,test_accuracy,seconds,samples_per_second\n")


class Agreement(unittest.TestCase):
    def test_equal_arrays_agree_and_a_wrong_element_is_found(self):
        reference = [0.25, -0.5, 1e-3, 0.0]
        same = agreement.array_errors(reference, reference, 1e-5)
        self.assertEqual((same.max_abs, same.units), (0.0, 0.0))
        wrong = agreement.array_errors([0.25, -0.49, 1e-3, 0.0], reference, 1e-5)
        self.assertEqual(wrong.worst_index, 1)
        self.assertGreater(wrong.units, 1.0)
        self.assertAlmostEqual(wrong.max_abs, 0.01)
        self.assertAlmostEqual(wrong.max_rel, 0.02)

    def test_a_cancelling_element_is_judged_against_the_largest_value(self):
        # Element 1's reference is tiny (σ(z) ≈ y): an error of 1e-7 is 10% of it
        # but small against the gradient's scale 0.5, so it agrees at rtol 1e-6.
        errors = agreement.array_errors([0.5, 1e-6 + 1e-7], [0.5, 1e-6], 1e-6)
        self.assertAlmostEqual(errors.max_rel, 0.1)
        self.assertLess(errors.units, 1.0)
        # Just over the bound rtol·(max|r| + |r_i|) fails.
        bound = 1e-6 * (0.5 + 1e-6)
        self.assertGreater(agreement.array_errors([0.5, 1e-6 + 1.01 * bound], [0.5, 1e-6], 1e-6).units, 1.0)

    def test_nan_fails_unless_the_reference_is_nan_too(self):
        self.assertEqual(agreement.array_errors([0.1, math.nan], [0.1, 0.2], 1e-5).units, math.inf)
        self.assertEqual(agreement.array_errors([0.1, math.nan], [0.1, math.nan], 1e-5).units, 0.0)
        with self.assertRaises(ValueError):
            agreement.array_errors([1.0], [1.0, 2.0], 1e-5)

    def test_scalar_and_training_tolerances(self):
        self.assertTrue(agreement.scalar_agrees(1.0 + 0.9e-5, 1.0, 1e-5))
        self.assertFalse(agreement.scalar_agrees(1.0 + 1.1e-5, 1.0, 1e-5))
        self.assertFalse(agreement.scalar_agrees(None, 1.0, 1e-5))
        self.assertTrue(agreement.scalar_agrees(math.nan, math.nan, 1e-5))
        self.assertFalse(agreement.scalar_agrees(math.nan, 1.0, 1e-5))
        ok, text = agreement.training_agrees(1.2368, 0.8109, 1.2379, 0.7931)  # two lossbench seeds, measured
        self.assertTrue(ok, text)
        self.assertIn("points apart", text)
        self.assertFalse(agreement.training_agrees(1.30, 0.81, 1.2368, 0.81)[0])  # loss 5% off
        self.assertFalse(agreement.training_agrees(1.2368, 0.75, 1.2368, 0.81)[0])  # 6 points off
        self.assertEqual(agreement.RTOL["bf16"], 2.0**-6)


class Report(TemporaryDirectoryTest):
    ROWS = [report.Row("bce/f32/n=1048576", "torch-eager", 0.5, True, "loss rel err 1e-7"),
            report.Row("bce/f32/n=1048576", "lossbench", 0.25, True, "fused kernel only"),
            report.Row("train/bce/batch=64", "lossbench", 900.0, False, "disagrees with torch-eager")]

    def test_document_has_exactly_the_contract_and_writes_whole(self):
        doc = report.document("ok", "", "cuda: NVIDIA H200", "2.5.0", self.ROWS)
        report.write_json(self.path("out.json"), doc)
        self.assertEqual(os.listdir(self.directory), ["out.json"])  # no temporary file left
        with open(self.path("out.json")) as f:
            read = json.load(f)
        self.assertEqual(set(read), {"status", "reason", "device", "torch_version", "rows"})
        self.assertEqual(set(read["rows"][0]), {"case", "impl", "time_ms", "agrees", "detail"})
        self.assertEqual(read["rows"][1], {"case": "bce/f32/n=1048576", "impl": "lossbench", "time_ms": 0.25,
                                           "agrees": True, "detail": "fused kernel only"})
        self.assertIsInstance(read["rows"][2]["time_ms"], float)

    def test_document_refuses_what_the_contract_does_not_allow(self):
        with self.assertRaisesRegex(ValueError, "status 'done'"):
            report.document("done", "", "cpu", "", [])
        with self.assertRaisesRegex(ValueError, "impl 'jax'"):
            report.document("ok", "", "cpu", "", [report.Row("c", "jax", 1.0, True, "")])
        with self.assertRaisesRegex(ValueError, "time_ms nan"):
            report.document("ok", "", "cpu", "", [report.Row("c", "lossbench", math.nan, True, "")])
        with self.assertRaisesRegex(ValueError, "time_ms None"):
            report.document("ok", "", "cpu", "", [report.Row("c", "lossbench", None, True, "")])

    def test_a_failed_write_leaves_the_old_file(self):
        report.write_json(self.path("out.json"), report.document("skipped", "no torch", "cpu", "", []))
        with self.assertRaises(TypeError):
            report.write_json(self.path("out.json"), {"not serialisable": object()})
        with open(self.path("out.json")) as f:
            self.assertEqual(json.load(f)["status"], "skipped")
        self.assertEqual(os.listdir(self.directory), ["out.json"])

    def test_table_shows_the_speedup_over_eager(self):
        text = report.table(self.ROWS)
        lines = text.splitlines()
        self.assertEqual(len(lines), 4)
        self.assertIn("2.00x", lines[2])
        self.assertIn("NO", lines[3])


if __name__ == "__main__":
    unittest.main()
