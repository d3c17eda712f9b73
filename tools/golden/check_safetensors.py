#!/usr/bin/python3
"""Reads a safetensors file (for example one Myelin wrote) with torch, without the safetensors
package, checks its layout the way the reference implementation does, and prints each tensor.

    /usr/bin/python3 tools/golden/check_safetensors.py FILE [--load-into-linear-bn IN OUT]

With --load-into-linear-bn the F32 tensors are loaded (strict=False, so a missing
num_batches_tracked is allowed) into nn.Sequential(Linear(IN, OUT), BatchNorm1d(OUT)), the
model Myelin's tests use, to show PyTorch accepts the keys and shapes.
Exit status 0 when the file is valid, 1 with a message when it is not.
"""

import json
import struct
import sys

import numpy as np
import torch

DTYPES = {"F32": ("<f4", 4), "F64": ("<f8", 8), "I64": ("<i8", 8), "I32": ("<i4", 4),
          "F16": ("<f2", 2), "U8": ("u1", 1), "I8": ("i1", 1), "BOOL": ("?", 1)}


def read(path):
    raw = open(path, "rb").read()
    if len(raw) < 8:
        raise ValueError("shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > len(raw) - 8:
        raise ValueError(f"header length {n} exceeds the file")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = raw[8 + n:]
    entries = sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"]))
    expected_begin, tensors = 0, {}
    for key, info in entries:
        begin, end = info["data_offsets"]
        if begin != expected_begin:
            raise ValueError(f"{key}: starts at {begin}, expected {expected_begin}")
        np_dtype, size = DTYPES[info["dtype"]]
        numel = int(np.prod(info["shape"], dtype=np.int64))
        if numel * size != end - begin:
            raise ValueError(f"{key}: {info['dtype']} {info['shape']} does not fit offsets {begin}..{end}")
        array = np.frombuffer(data[begin:end], dtype=np_dtype).reshape(info["shape"])
        tensors[key] = torch.from_numpy(array.copy())
        expected_begin = end
    if expected_begin != len(data):
        raise ValueError(f"header declares {expected_begin} data bytes, file has {len(data)}")
    return tensors, metadata


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        tensors, metadata = read(argv[1])
    except (ValueError, KeyError, json.JSONDecodeError, UnicodeDecodeError) as e:
        print(f"{argv[1]}: invalid: {e}", file=sys.stderr)
        return 1
    print("metadata:", metadata)
    for key, t in tensors.items():
        print(f"{key}: {t.dtype} {list(t.shape)} {t.flatten()[:8].tolist()}")
    if len(argv) >= 5 and argv[2] == "--load-into-linear-bn":
        model = torch.nn.Sequential(torch.nn.Linear(int(argv[3]), int(argv[4])),
                                    torch.nn.BatchNorm1d(int(argv[4])))
        result = model.load_state_dict(tensors, strict=False)
        print("loaded into Linear+BatchNorm1d:", result)
        if result.unexpected_keys or set(result.missing_keys) - {"1.num_batches_tracked"}:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
