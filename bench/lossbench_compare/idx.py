"""IDX files (the MNIST / Fashion-MNIST format), written and read with the standard library.

lossbench train --data DIR reads train-images-idx3-ubyte, train-labels-idx1-ubyte,
t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte from DIR, each either plain
or gzipped (.gz). The comparison writes synthetic data in this format so that
lossbench and PyTorch train on the very same bytes, and reads the real files
for PyTorch when they are installed.
"""

import gzip
import os
import struct

UNSIGNED_BYTE = 0x08
FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def encode(dims, data):
    """An IDX file of unsigned bytes: magic, big-endian dimensions, then `data` (len = product of dims)."""
    count = 1
    for d in dims:
        count *= d
    if len(data) != count:
        raise ValueError(f"{len(data)} bytes for dimensions {tuple(dims)}")
    return struct.pack(">BBBB", 0, 0, UNSIGNED_BYTE, len(dims)) + struct.pack(f">{len(dims)}I", *dims) + bytes(data)


def decode(content, name="IDX data"):
    """Returns (dims, data bytes) of an unsigned-byte IDX file's content. Raises ValueError naming the problem."""
    if len(content) < 4 or content[0] != 0 or content[1] != 0:
        raise ValueError(f"{name}: not an IDX file")
    if content[2] != UNSIGNED_BYTE:
        raise ValueError(f"{name}: element type 0x{content[2]:02x}, expected unsigned bytes (0x08)")
    rank = content[3]
    if len(content) < 4 + 4 * rank:
        raise ValueError(f"{name}: truncated header")
    dims = struct.unpack_from(f">{rank}I", content, 4)
    count = 1
    for d in dims:
        count *= d
    data = content[4 + 4 * rank :]
    if len(data) != count:
        raise ValueError(f"{name}: {len(data)} bytes of data for dimensions {dims}")
    return dims, data


def write_dataset(directory, train_images, train_labels, test_images, test_labels, rows=28, cols=28):
    """Writes the four files lossbench train --data reads. Images are bytes of count·rows·cols pixels, labels bytes of class indices."""
    os.makedirs(directory, exist_ok=True)
    parts = {
        "train_images": encode((len(train_images) // (rows * cols), rows, cols), train_images),
        "train_labels": encode((len(train_labels),), train_labels),
        "test_images": encode((len(test_images) // (rows * cols), rows, cols), test_images),
        "test_labels": encode((len(test_labels),), test_labels),
    }
    for key, content in parts.items():
        with open(os.path.join(directory, FILES[key]), "wb") as f:
            f.write(content)


def present(directory):
    """Whether `directory` holds the four files, plain or gzipped."""
    return all(_find(directory, stem) for stem in FILES.values())


def read_dataset(directory):
    """Reads the four files: returns {key: (dims, data bytes)} with the keys of FILES."""
    result = {}
    for key, stem in FILES.items():
        path = _find(directory, stem)
        if not path:
            raise ValueError(f"{directory} has no {stem} (or {stem}.gz)")
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            result[key] = decode(f.read(), path)
    return result


def _find(directory, stem):
    for candidate in (os.path.join(directory, stem + ".gz"), os.path.join(directory, stem)):
        if os.path.isfile(candidate):
            return candidate
    return None
