#!/usr/bin/python3
"""Writes the PyTorch golden values of Myelin's convolution and pooling layers to
myelin-core/src/test/resources/golden/ (conv2d.json, pool2d.json).

    /usr/bin/python3 tools/golden/make_golden_conv.py

Uses the encoding helpers and the common schema of make_golden.py (torch_version,
description, tolerance; tensors as {"shape", "data"}). Seeded; a rerun with the same torch
version rewrites identical files.

conv2d.json   torch.nn.functional.conv2d
    "cases": [ {
        "name": str,
        "options": {"stride": [sh, sw], "padding": [ph, pw], "dilation": [dh, dw], "groups": int},
        "input" [N,C,H,W], "weight" [O,C/groups,kH,kW], "bias" [O] (absent when the case has none),
        "output" [N,O,outH,outW], "upstream" (shaped like output),
        "grad_input", "grad_weight", "grad_bias" (absent without bias):
                        gradients of sum(output * upstream)
        "double_backward" (some cases): {"grad_weight_of_grad_input_norm"}:
                        d/d(weight) of sum(grad_input**2), grad_input taken with create_graph
    }, ... ]

pool2d.json   max_pool2d, avg_pool2d, adaptive_avg_pool2d
    "cases": [ {
        "name": str,
        "op": "max_pool2d" | "avg_pool2d" | "adaptive_avg_pool2d",
        "options": {"kernel": [kh, kw], "stride": [sh, sw], "padding": [ph, pw],
                    "count_include_pad": bool}              (max_pool2d / avg_pool2d)
                 | {"output_size": [oh, ow]}                (adaptive_avg_pool2d)
        "input", "output", "upstream", "grad_input"
    }, ... ]
    Max-pooling inputs hold distinct values, so the position of each maximum is unambiguous.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import tensor, header, write_json, grads_of, OUT_DIR  # noqa: E402

# sums of up to a few hundred float32 products, in a different order than torch's
CONV_TOL = {"atol": 5e-5, "rtol": 1e-4}


def conv_case(name, seed, x_shape, out_ch, kernel, stride=1, padding=0, dilation=1, groups=1,
              bias=True, double_backward=False):
    torch.manual_seed(seed)
    pair = lambda v: list(v) if isinstance(v, tuple) else [v, v]  # noqa: E731
    kh, kw = pair(kernel)
    x = torch.randn(*x_shape, requires_grad=True)
    w = torch.randn(out_ch, x_shape[1] // groups, kh, kw, requires_grad=True)
    b = torch.randn(out_ch, requires_grad=True) if bias else None
    opts = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    y = F.conv2d(x, w, b, **opts)
    up = torch.randn_like(y)
    inputs = (x, w) + ((b,) if bias else ())
    grads = grads_of(y, up, *inputs)
    case = {"name": name,
            "options": {"stride": pair(stride), "padding": pair(padding), "dilation": pair(dilation),
                        "groups": groups},
            "input": tensor(x), "weight": tensor(w)}
    if bias:
        case["bias"] = tensor(b)
    case.update({"output": tensor(y), "upstream": tensor(up),
                 "grad_input": tensor(grads[0]), "grad_weight": tensor(grads[1])})
    if bias:
        case["grad_bias"] = tensor(grads[2])
    if double_backward:
        gx, = torch.autograd.grad((F.conv2d(x, w, b, **opts) * up).sum(), x, create_graph=True)
        gw, = torch.autograd.grad((gx ** 2).sum(), w)
        case["double_backward"] = {"grad_weight_of_grad_input_norm": tensor(gw)}
    return case


def conv2d():
    cases = [
        conv_case("3x3 padding 1 (workload B's first layer)", 10, (2, 1, 7, 6), 4, 3, padding=1,
                  double_backward=True),
        conv_case("3x3 padding 1, 3 -> 5 channels", 11, (2, 3, 6, 5), 5, 3, padding=1),
        conv_case("stride 2", 12, (2, 3, 7, 8), 4, 3, stride=2, padding=1, double_backward=True),
        conv_case("dilation 2", 13, (2, 2, 9, 8), 3, 3, padding=2, dilation=2),
        conv_case("groups 2", 14, (2, 4, 6, 6), 6, 3, padding=1, groups=2),
        conv_case("no bias, non-square kernel and stride", 15, (1, 3, 8, 7), 2, (3, 2), stride=(2, 1),
                  padding=(1, 0), bias=False),
        conv_case("1x1 stride 2 projection, no bias", 16, (2, 4, 6, 6), 8, 1, stride=2, bias=False),
    ]
    write_json("conv2d.json", dict(header("F.conv2d forward and gradients of sum(output * upstream) "
                                          "at several configurations", CONV_TOL), cases=cases))


def distinct(shape, seed):
    """A shuffled ramp: every value distinct, so max pooling has one argmax per window."""
    g = torch.Generator().manual_seed(seed)
    n = 1
    for s in shape:
        n *= s
    return (torch.randperm(n, generator=g).to(torch.float32) / n * 4 - 2).reshape(shape)


def pool_case(name, op, seed, x_shape, **opts):
    torch.manual_seed(seed)
    x = (distinct(x_shape, seed) if op == "max_pool2d" else torch.randn(*x_shape)).requires_grad_(True)
    if op == "max_pool2d":
        y = F.max_pool2d(x, opts["kernel"], opts["stride"], opts["padding"])
        options = {"kernel": list(opts["kernel"]), "stride": list(opts["stride"]),
                   "padding": list(opts["padding"]), "count_include_pad": True}
    elif op == "avg_pool2d":
        y = F.avg_pool2d(x, opts["kernel"], opts["stride"], opts["padding"],
                         count_include_pad=opts["count_include_pad"])
        options = {"kernel": list(opts["kernel"]), "stride": list(opts["stride"]),
                   "padding": list(opts["padding"]), "count_include_pad": opts["count_include_pad"]}
    else:
        y = F.adaptive_avg_pool2d(x, opts["output_size"])
        options = {"output_size": list(opts["output_size"])}
    up = torch.randn_like(y)
    gx, = grads_of(y, up, x)
    return {"name": name, "op": op, "options": options, "input": tensor(x), "output": tensor(y),
            "upstream": tensor(up), "grad_input": tensor(gx)}


def pool2d():
    cases = [
        pool_case("max 2x2 stride 2 (workload B)", "max_pool2d", 20, (2, 3, 6, 7),
                  kernel=(2, 2), stride=(2, 2), padding=(0, 0)),
        pool_case("max 3x3 stride 2 padding 1 (overlapping)", "max_pool2d", 21, (2, 2, 7, 6),
                  kernel=(3, 3), stride=(2, 2), padding=(1, 1)),
        pool_case("avg 3x3 stride 2 padding 1, padding counted", "avg_pool2d", 22, (2, 2, 7, 6),
                  kernel=(3, 3), stride=(2, 2), padding=(1, 1), count_include_pad=True),
        pool_case("avg 3x3 stride 2 padding 1, padding not counted", "avg_pool2d", 23, (2, 2, 7, 6),
                  kernel=(3, 3), stride=(2, 2), padding=(1, 1), count_include_pad=False),
        pool_case("avg 2x3 stride 1x2, padding 1x1", "avg_pool2d", 24, (1, 2, 5, 7),
                  kernel=(2, 3), stride=(1, 2), padding=(1, 1), count_include_pad=True),
        pool_case("adaptive 7x5 -> 3x2 (overlapping windows)", "adaptive_avg_pool2d", 25, (2, 3, 7, 5),
                  output_size=(3, 2)),
        pool_case("adaptive -> 1x1 (global average pooling)", "adaptive_avg_pool2d", 26, (2, 4, 5, 5),
                  output_size=(1, 1)),
    ]
    write_json("pool2d.json", dict(header("max/avg/adaptive-avg pooling forward and the gradient of "
                                          "sum(output * upstream)"), cases=cases))


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    conv2d()
    pool2d()
    return 0


if __name__ == "__main__":
    sys.exit(main())
