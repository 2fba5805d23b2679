"""Zero-copy access to the UTF-8 bytes of an Arrow string column, for column-wise numpy passes
(text hashes, language detection) instead of one Python string per text."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pyarrow as pa

T = TypeVar("T")


def column_pass(fn: Callable[[pa.Array], list[T]]) -> Callable[[pa.Array | pa.ChunkedArray], list[T]]:
    """Make a pass over one non-empty string array take any string column: chunk by chunk,
    other types cast to string, [] for an empty one."""

    @functools.wraps(fn)
    def run(texts: pa.Array | pa.ChunkedArray) -> list[T]:
        if isinstance(texts, pa.ChunkedArray):
            return [x for chunk in texts.chunks for x in run(chunk)]
        texts = as_strings(texts)
        return fn(texts) if len(texts) else []

    return run


def as_strings(texts: pa.Array) -> pa.Array:
    """A string or large_string array (other types cast to string)."""
    if pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type):
        return texts
    return texts.cast(pa.string())


def string_parts(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(int64 offsets relative to the first text's first byte, the texts' bytes), no copy of the bytes."""
    n = len(arr)
    width = 8 if pa.types.is_large_string(arr.type) else 4
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], np.int64 if width == 8 else np.int32, count=n + 1, offset=arr.offset * width)
    start, end = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(bufs[2], np.uint8)[start:end] if bufs[2] is not None and end > start else np.zeros(0, np.uint8)
    return offsets.astype(np.int64) - start, data
