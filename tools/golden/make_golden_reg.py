#!/usr/bin/python3
"""Writes the regularization golden values (dropout family masks, label smoothing) from PyTorch.

    /usr/bin/python3 tools/golden/make_golden_reg.py

Same JSON conventions as make_golden.py (tensors as {"shape", "data"}, a header with
torch_version, description and tolerance); it imports that script's helpers.

dropout_masks.json
    "dropout" | "alpha_dropout": {"p", "input", "upstream", "mask", "output", "grad_input"}
    "dropout2d" (input [N,C,H,W]) | "dropout2d_3d" (input [N,C,L]):
                 {"p", "input", "upstream", "mask" [N,C], "output", "grad_input"}
        The module ran in training mode with torch's own random numbers; "mask" is the 0/1
        keep-mask read back from its output (input values are bounded away from the dropped
        values, and the script checks the reconstruction), so Java replays the scaling,
        the alpha-dropout affine map and the gradients with the same mask.
        grad_input = d sum(output * upstream) / d input.

label_smoothing.json
    "cases": [ {"label_smoothing": eps, "input" [N,C], "target" [N] int64, "loss" [],
                "grad_input" [N,C]}, ... ]
        torch.nn.functional.cross_entropy(input, target, label_smoothing=eps), mean reduction.
"""

import math
import os
import sys
import warnings

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import header, int_tensor, tensor, write_json  # noqa: E402

SELU_ALPHA = 1.7580993408473766  # lambda * alpha of SELU


def replay(module, x, mask_of):
    """Runs module in training mode on x; returns the case with the mask read from the output."""
    x = x.clone().requires_grad_(True)
    module.train()
    y = module(x)
    upstream = torch.randn_like(y)
    (gx,) = torch.autograd.grad((y * upstream).sum(), (x,))
    mask = mask_of(x.detach(), y.detach())
    assert 0 < mask.sum() < mask.numel(), "some kept and some dropped"
    return {"p": module.p, "input": tensor(x), "upstream": tensor(upstream), "mask": tensor(mask),
            "output": tensor(y), "grad_input": tensor(gx)}


def dropout_masks():
    torch.manual_seed(11)
    away_from_zero = lambda *s: (torch.rand(*s) + 0.5) * torch.sign(torch.randn(*s))
    obj = header("Dropout, Dropout2d and AlphaDropout in training mode with the keep-mask read back "
                 "from torch's output; gradients of sum(output * upstream).")

    p = 0.3
    c = replay(torch.nn.Dropout(p), away_from_zero(6, 7), lambda x, y: (y != 0).float())
    assert torch.allclose(x_of(c) * mask_of(c) / (1 - p), out_of(c))
    obj["dropout"] = c

    for key, shape in (("dropout2d", (3, 4, 2, 3)), ("dropout2d_3d", (3, 5, 4))):
        c = replay(torch.nn.Dropout2d(0.5), away_from_zero(*shape),
                   lambda x, y: (y.flatten(2) != 0).all(dim=2).float())
        view = list(shape[:2]) + [1] * (len(shape) - 2)
        assert torch.allclose(x_of(c) * mask_of(c).view(view) * 2, out_of(c))
        obj[key] = c

    p = 0.2
    a = 1.0 / math.sqrt((SELU_ALPHA ** 2 * p + 1) * (1 - p))
    dropped = a * SELU_ALPHA * (p - 1)
    x = torch.randn(8, 5)
    x = torch.where((x + SELU_ALPHA).abs() < 0.1, x + 0.5, x)  # no kept value equals the dropped one
    c = replay(torch.nn.AlphaDropout(p), x, lambda x, y: ((y - dropped).abs() > 1e-4).float())
    m = mask_of(c)
    assert torch.allclose(a * (x_of(c) * m - SELU_ALPHA * (1 - m)) + a * SELU_ALPHA * p, out_of(c), atol=1e-6)
    obj["alpha_dropout"] = c
    write_json("dropout_masks.json", obj)


def x_of(case):
    return as_torch(case["input"])


def mask_of(case):
    return as_torch(case["mask"])


def out_of(case):
    return as_torch(case["output"])


def as_torch(t):
    return torch.tensor(t["data"], dtype=torch.float32).reshape(t["shape"])


def label_smoothing():
    torch.manual_seed(12)
    cases = []
    for eps in (0.0, 0.1, 0.35):
        x = (2 * torch.randn(5, 4)).requires_grad_(True)
        target = torch.randint(0, 4, (5,))
        loss = F.cross_entropy(x, target, label_smoothing=eps)
        (gx,) = torch.autograd.grad(loss, (x,))
        cases.append({"label_smoothing": eps, "input": tensor(x), "target": int_tensor(target),
                      "loss": tensor(loss), "grad_input": tensor(gx)})
    obj = header("cross_entropy(input, target, label_smoothing=eps), mean reduction, and its gradient.")
    obj["cases"] = cases
    write_json("label_smoothing.json", obj)


def main():
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    # torch 1.13 warns that a 3-D Dropout2d input is read as [N, C, L]: that is the case wanted here
    warnings.filterwarnings("ignore", message="dropout2d: Received a 3D input")
    dropout_masks()
    label_smoothing()
    return 0


if __name__ == "__main__":
    sys.exit(main())
