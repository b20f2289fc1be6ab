"""NumPy's .npy format (version 1.0), written and read with the standard library.

lossbench loss reads and writes .npy. PyTorch can be installed without NumPy,
where tensor.numpy() fails, so the comparison writes a tensor's raw bytes
behind a header made here, and reads lossbench's outputs back as bytes for
torch.frombuffer(). Only what that needs: little-endian float16/32/64, C order.
"""

import ast
import struct

MAGIC = b"\x93NUMPY"
ITEM_SIZES = {"<f2": 2, "<f4": 4, "<f8": 8, "<i8": 8}


def header(descr, shape):
    """The bytes before the data of an array of `descr` ('<f4'...) and `shape` (a tuple of ints)."""
    if descr not in ITEM_SIZES:
        raise ValueError(f"unsupported dtype {descr!r} (expected one of {sorted(ITEM_SIZES)})")
    shape = tuple(int(s) for s in shape)
    if any(s < 0 for s in shape):
        raise ValueError(f"negative dimension in shape {shape}")
    # repr() of a tuple of ints is NumPy's spelling: (), (3,), (2, 2).
    text = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape!r}, }}"
    # The data starts on a multiple of 64 bytes; the header ends with '\n'.
    unpadded = len(MAGIC) + 2 + 2 + len(text) + 1
    text += " " * (-unpadded % 64) + "\n"
    return MAGIC + bytes([1, 0]) + struct.pack("<H", len(text)) + text.encode("latin1")


def write(path, descr, shape, data):
    """Writes `data` (bytes-like, C order, little-endian) as a .npy file."""
    count = 1
    for s in shape:
        count *= int(s)
    if len(memoryview(data).cast("B")) != count * ITEM_SIZES.get(descr, 0):
        raise ValueError(f"{path}: {len(memoryview(data).cast('B'))} bytes of data for shape {tuple(shape)} of {descr}")
    with open(path, "wb") as f:
        f.write(header(descr, shape))
        f.write(data)


def read(path):
    """Reads a .npy file: returns (descr, shape, data bytes). Raises ValueError naming the problem."""
    with open(path, "rb") as f:
        content = f.read()
    if not content.startswith(MAGIC) or len(content) < 10:
        raise ValueError(f"{path}: not a .npy file")
    major = content[6]
    if major == 1:
        (length,) = struct.unpack_from("<H", content, 8)
        start = 10
    elif major in (2, 3):
        (length,) = struct.unpack_from("<I", content, 8)
        start = 12
    else:
        raise ValueError(f"{path}: .npy version {major} is not supported")
    fields = ast.literal_eval(content[start : start + length].decode("latin1"))
    descr, shape = fields["descr"], tuple(fields["shape"])
    if fields.get("fortran_order"):
        raise ValueError(f"{path}: Fortran order is not supported")
    if descr not in ITEM_SIZES:
        raise ValueError(f"{path}: unsupported dtype {descr!r}")
    count = 1
    for s in shape:
        count *= s
    data = content[start + length :]
    if len(data) != count * ITEM_SIZES[descr]:
        raise ValueError(f"{path}: {len(data)} bytes of data for shape {shape} of {descr}")
    return descr, shape, data
