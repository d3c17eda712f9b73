#!/usr/bin/python3
"""Writes the golden values of the activation family (issue 5) from PyTorch.

    /usr/bin/python3 tools/golden/make_golden_act.py

Writes myelin-core/src/test/resources/golden/activation_family.json and erf.json, with the
common schema of make_golden.py (torch_version, description, tolerance, {"shape", "data"}
tensors). Seeded, so a rerun with the same torch rewrites identical files.

activation_family.json
    "elementwise": {
        "input" [K], "upstream" [K]          inputs include 0, ±1, ±3 (kinks of hardtanh and
                                             hardsigmoid) and ±1e-6
        "cases": [ {"name": str,             leaky_relu | elu | selu | gelu | silu | mish |
                                             hardsigmoid | hardtanh (torch.nn names, snake case)
                    "options": {...},        the torch.nn constructor arguments
                    "output", "grad"}, ...]  grad = d sum(y * upstream) / d input
    }
    "crelu": {"input" [N,C], "upstream" [N,2C], "output", "grad"}
                                             y = cat(relu(x), relu(-x), dim=1) (no torch.nn class)
    "prelu": [ {"num_parameters": int, "weight" [P], "input", "upstream", "output",
                "grad_input", "grad_weight"}, ... ]           torch.nn.PReLU
    "maxout": {"pieces": k, "input" [N,IN], "weight" [OUT*k,IN], "bias" [OUT*k], "upstream" [N,OUT],
               "output", "grad_input", "grad_weight", "grad_bias"}
                                             y = (x @ W.T + b).view(N, OUT, k).max(-1) (no torch.nn class)

erf.json
    "input" [K]                              float32 points in [-6, 6], tiny values and 0
    "torch_float32" [K]                      torch.erf in float32 (the tolerance applies to it)
    "erf_double": [K]                        Python's math.erf of the same points, as float64
    "erfc_input": [M], "erfc_double": [M]    math.erfc on [0.5, 26] (the tail GELU needs)
    Doubles are written with repr (17 significant digits), so they parse exactly.
"""

import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import grads_of, header, tensor, write_json  # noqa: E402


def elementwise():
    torch.manual_seed(70)
    x = torch.tensor([-8.0, -4.0, -3.0, -2.5, -1.5, -1.0, -0.5, -0.1, -1e-3, -1e-6, 0.0,
                      1e-6, 1e-3, 0.1, 0.5, 1.0, 1.5, 2.5, 3.0, 4.0, 8.0], requires_grad=True)
    upstream = torch.randn(x.shape)
    modules = [
        ("leaky_relu", {"negative_slope": 0.01}, nn.LeakyReLU(0.01)),
        ("leaky_relu", {"negative_slope": 0.2}, nn.LeakyReLU(0.2)),
        ("elu", {"alpha": 1.0}, nn.ELU(1.0)),
        ("elu", {"alpha": 0.5}, nn.ELU(0.5)),
        ("selu", {}, nn.SELU()),
        ("gelu", {"approximate": "none"}, nn.GELU(approximate="none")),
        ("gelu", {"approximate": "tanh"}, nn.GELU(approximate="tanh")),
        ("silu", {}, nn.SiLU()),
        ("mish", {}, nn.Mish()),
        ("hardsigmoid", {}, nn.Hardsigmoid()),
        ("hardtanh", {"min_val": -1.0, "max_val": 1.0}, nn.Hardtanh(-1.0, 1.0)),
        ("hardtanh", {"min_val": -2.5, "max_val": 0.5}, nn.Hardtanh(-2.5, 0.5)),
    ]
    cases = []
    for name, options, module in modules:
        y = module(x)
        (g,) = grads_of(y, upstream, x)
        cases.append({"name": name, "options": options, "output": tensor(y), "grad": tensor(g)})
    return {"input": tensor(x), "upstream": tensor(upstream), "cases": cases}


def crelu():
    torch.manual_seed(71)
    x = torch.randn(3, 4, requires_grad=True)
    upstream = torch.randn(3, 8)
    y = torch.cat([F.relu(x), F.relu(-x)], dim=1)
    (g,) = grads_of(y, upstream, x)
    return {"input": tensor(x), "upstream": tensor(upstream), "output": tensor(y), "grad": tensor(g)}


def prelu_case(num_parameters, weight, shape, seed):
    torch.manual_seed(seed)
    m = nn.PReLU(num_parameters)
    with torch.no_grad():
        m.weight.copy_(torch.tensor(weight))
    x = torch.randn(*shape, requires_grad=True)
    upstream = torch.randn(*shape)
    y = m(x)
    gx, gw = grads_of(y, upstream, x, m.weight)
    return {"num_parameters": num_parameters, "weight": tensor(m.weight), "input": tensor(x),
            "upstream": tensor(upstream), "output": tensor(y), "grad_input": tensor(gx),
            "grad_weight": tensor(gw)}


def maxout():
    torch.manual_seed(73)
    n, n_in, n_out, k = 4, 5, 3, 2
    x = torch.randn(n, n_in, requires_grad=True)
    w = torch.randn(n_out * k, n_in, requires_grad=True)
    b = torch.randn(n_out * k, requires_grad=True)
    upstream = torch.randn(n, n_out)
    y = (x @ w.T + b).view(n, n_out, k).max(dim=-1).values
    gx, gw, gb = grads_of(y, upstream, x, w, b)
    return {"pieces": k, "input": tensor(x), "weight": tensor(w), "bias": tensor(b),
            "upstream": tensor(upstream), "output": tensor(y), "grad_input": tensor(gx),
            "grad_weight": tensor(gw), "grad_bias": tensor(gb)}


def activation_family():
    obj = header("The activation family of issue 5 (torch.nn modules, plus CReLU and maxout "
                 "composed from torch ops): outputs and gradients of sum(y * upstream).")
    obj["elementwise"] = elementwise()
    obj["crelu"] = crelu()
    obj["prelu"] = [prelu_case(1, [0.25], (3, 4), 72),
                    prelu_case(4, [0.1, -0.2, 0.3, 0.5], (3, 4), 74),
                    prelu_case(3, [0.05, 0.4, -0.3], (2, 3, 2), 75)]
    obj["maxout"] = maxout()
    write_json("activation_family.json", obj)


def erf():
    grid = torch.linspace(-6.0, 6.0, 1201, dtype=torch.float32)
    tiny = torch.tensor([0.0, 1e-30, -1e-20, 1e-8, -3e-5, 0.01, -0.2, 0.999, 1.0, 1.001, 3.999, 4.0, 4.001],
                        dtype=torch.float32)
    x = torch.cat([grid, tiny])
    xs = [float(v) for v in x.tolist()]
    tail = [0.5 + 0.25 * i for i in range(103)]  # 0.5 .. 26
    obj = header("erf of float32 points: torch.erf (float32) and Python's math.erf (float64, "
                 "correctly rounded to within an ulp); math.erfc on the tail.",
                 {"atol": 2e-7, "rtol": 1e-6})
    obj["input"] = tensor(x)
    obj["torch_float32"] = tensor(torch.erf(x))
    obj["erf_double"] = [math.erf(v) for v in xs]
    obj["erfc_input"] = tail
    obj["erfc_double"] = [math.erfc(v) for v in tail]
    write_json("erf.json", obj)


def main():
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    activation_family()
    erf()
    return 0


if __name__ == "__main__":
    sys.exit(main())
