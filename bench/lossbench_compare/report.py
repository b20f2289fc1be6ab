"""The comparison's results: rows, the JSON document and the table on stdout.

The JSON is read by `lossbench report`, so its top level is fixed:

    {"status": "ok" | "skipped" | "failed", "reason": str, "device": str,
     "torch_version": str, "rows": [{"case": str, "impl": "torch-eager" |
     "torch-compile" | "lossbench", "time_ms": float, "agrees": bool,
     "detail": str}]}

Every row has a measured time; an implementation that could not run (such as
torch.compile without a working compiler) has no row, and `reason` says why.
"""

import json
import os
import tempfile
from dataclasses import asdict, dataclass

IMPLS = ("torch-eager", "torch-compile", "lossbench")
STATUSES = ("ok", "skipped", "failed")


@dataclass
class Row:
    case: str       # e.g. "bce/f32/n=1048576" or "train/bce/batch=64"
    impl: str       # one of IMPLS
    time_ms: float  # median milliseconds of one forward + backward, or of one training epoch
    agrees: bool
    detail: str


def document(status, reason, device, torch_version, rows):
    """The JSON document, checked against the contract above."""
    if status not in STATUSES:
        raise ValueError(f"status {status!r} is not one of {STATUSES}")
    for row in rows:
        if row.impl not in IMPLS:
            raise ValueError(f"row {row.case}: impl {row.impl!r} is not one of {IMPLS}")
        if not isinstance(row.time_ms, (int, float)) or row.time_ms != row.time_ms:
            raise ValueError(f"row {row.case} {row.impl}: time_ms {row.time_ms!r} is not a number")
    return {
        "status": status,
        "reason": reason,
        "device": device,
        "torch_version": torch_version,
        "rows": [dict(asdict(row), time_ms=float(row.time_ms), agrees=bool(row.agrees)) for row in rows],
    }


def write_json(path, doc):
    """Writes `doc` whole or not at all: to a temporary file beside `path`, then renamed over it."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w") as f:
            json.dump(doc, f, indent=1, allow_nan=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def table(rows):
    """The rows as a text table, one line each, with each case's speed-up of lossbench over torch-eager."""
    eager = {row.case: row.time_ms for row in rows if row.impl == "torch-eager"}
    lines = [f"{'case':<28} {'impl':<14} {'time_ms':>12} {'vs eager':>9}  agrees  detail"]
    for row in rows:
        speedup = ""
        if row.case in eager and row.time_ms > 0 and row.impl != "torch-eager":
            speedup = f"{eager[row.case] / row.time_ms:.2f}x"
        lines.append(f"{row.case:<28} {row.impl:<14} {row.time_ms:>12.4f} {speedup:>9}  "
                     f"{'yes' if row.agrees else 'NO':<6}  {row.detail}")
    return "\n".join(lines)
