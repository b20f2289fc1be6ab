"""What lossbench prints and writes, parsed: the JSON line of `lossbench loss`
and the CSV of `lossbench train --csv`; and the `lossbench loss` options of
each elementwise loss's name.

Both parsers read fields by name and ignore the ones they do not know, so that
lossbench may add fields and columns without breaking the comparison; a field
they need that is missing or malformed is a ValueError naming it.
"""

import csv
import io
import json
import math

TRAINING_COLUMNS = ("epoch", "train_loss", "test_accuracy", "seconds", "samples_per_second")


def loss_options(name):
    """The `lossbench loss` options of an elementwise loss named as verify and the
    benchmarks name it: "bce", "mse" (of the sigmoid) or "mse-identity" (of z itself)."""
    options = {"bce": ["--loss", "bce"], "mse": ["--loss", "mse"],
               "mse-identity": ["--loss", "mse", "--activation", "identity"]}
    if name not in options:
        raise ValueError(f"unknown elementwise loss {name!r}: expected one of {', '.join(options)}")
    return options[name]


def parse_loss_json(stdout):
    """The JSON object `lossbench loss` prints as its last line: a dict with at least
    loss (float or None), n, time_ms and times_ms {min, median} (milliseconds)."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    if not lines:
        raise ValueError("lossbench loss printed nothing")
    try:
        result = json.loads(lines[-1])
    except json.JSONDecodeError as e:
        raise ValueError(f"lossbench loss printed no JSON line ({e}): {lines[-1][:200]!r}") from None
    if not isinstance(result, dict):
        raise ValueError(f"lossbench loss printed {type(result).__name__}, not a JSON object")
    for key in ("loss", "n", "time_ms", "times_ms"):
        if key not in result:
            raise ValueError(f"lossbench loss's JSON has no {key!r} (is it older than --repeats?): {lines[-1][:200]}")
    if result["loss"] is not None and not isinstance(result["loss"], (int, float)):
        raise ValueError(f"lossbench loss's JSON has a non-numeric loss: {result['loss']!r}")
    for key in ("min", "median"):
        value = result["times_ms"].get(key) if isinstance(result["times_ms"], dict) else None
        if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError(f"lossbench loss's JSON has no valid times_ms.{key}: {result['times_ms']!r}")
    return result


def parse_training_csv(text):
    """The rows of `lossbench train --csv`, one dict per epoch: the columns of
    TRAINING_COLUMNS as numbers (epoch an int), any other column as text."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in TRAINING_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"the training CSV has no column {', '.join(missing)} (header: {reader.fieldnames})")
    rows = []
    for line_number, raw in enumerate(reader, start=2):
        row = dict(raw)
        try:
            row["epoch"] = int(raw["epoch"])
            for column in TRAINING_COLUMNS[1:]:
                row[column] = float(raw[column])
        except (TypeError, ValueError):
            raise ValueError(f"the training CSV's line {line_number} is malformed: {raw}") from None
        rows.append(row)
    if not rows:
        raise ValueError("the training CSV has a header but no epoch")
    return rows
