#!/usr/bin/python3
"""Writes the golden values of Myelin's normalization layers from PyTorch.

Run with Debian's torch (apt-get install python3-torch), from anywhere:

    /usr/bin/python3 tools/golden/make_golden_norm.py

Writes myelin-core/src/test/resources/golden/norm_layers.json and weight_norm.json. Seeded,
so a rerun with the same torch version rewrites identical files. Tensors, tolerances and the
common header follow the schema at the top of make_golden.py.

norm_layers.json
    "cases": [ {
        "name":    str                       unique, for messages
        "layer":   "BatchNorm2d" | "LayerNorm" | "GroupNorm" | "InstanceNorm1d" | "InstanceNorm2d"
        "options": {...}                     every constructor argument, torch's names
                                             (num_features, eps, momentum, affine,
                                             track_running_stats; normalized_shape,
                                             elementwise_affine; num_groups, num_channels)
        "state_keys": [str, ...]             module.state_dict() keys in torch's order
        "params":  {key: tensor}             the parameters, non-trivial, set before step 1
        "steps": [ {"input", "output",
                    "buffers": {key: tensor}} ]   training-mode forward passes in order; the
                                             buffers after the step (num_batches_tracked as
                                             int64)
        "grad_step1": {"upstream", "grad_input", "grad": {key: tensor}}
                                             gradients of sum(output * upstream) at step 1
                                             w.r.t. the input and every parameter
        "eval": {"input", "output"}          eval mode after the last step
    }, ... ]

weight_norm.json
    "cases": [ {
        "name", "dim": int,                  torch.nn.utils.weight_norm(Linear(in, out), dim=dim)
        "state_keys": [str, ...]             ["bias", "weight_g", "weight_v"]
        "params": {"bias", "weight_g", "weight_v"}
        "weight": tensor                     the computed weight g * v / ||v||
        "input", "output", "upstream",
        "grad_input", "grad": {"bias", "weight_g", "weight_v"}
                                             gradients of sum(output * upstream)
    }, ... ]
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import grads_of, header, int_tensor, tensor, write_json  # noqa: E402


def state_tensor(t):
    return tensor(t) if t.dtype.is_floating_point else int_tensor(t)


def randomize_params(module):
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.copy_((1.0 + 0.5 * torch.randn(p.shape)) if name.endswith("weight") else 0.5 * torch.randn(p.shape))


def make_input_fn(shape, channel_axis):
    """Inputs with a per-channel offset and scale, so the statistics are far from (0, 1)."""
    c = shape[channel_axis]
    view = [1] * len(shape)
    view[channel_axis] = c
    offset = (2.0 * torch.randn(c)).view(view)
    scale = (0.5 + torch.rand(c) * 2.0).view(view)
    return lambda: torch.randn(*shape) * scale + offset


def norm_case(name, layer, options, shape, steps, seed, channel_axis=1):
    torch.manual_seed(seed)
    module = getattr(torch.nn, layer)(**options)
    randomize_params(module)
    params = {k: tensor(p) for k, p in module.named_parameters()}
    make_input = make_input_fn(shape, channel_axis)
    module.train()
    out_steps, grad_step1 = [], None
    for step in range(steps):
        x = make_input().requires_grad_(True)
        y = module(x)
        if step == 0:
            upstream = torch.randn(*shape)
            names = [k for k, _ in module.named_parameters()]
            grads = grads_of(y, upstream, x, *[p for _, p in module.named_parameters()])
            grad_step1 = {"upstream": tensor(upstream), "grad_input": tensor(grads[0]),
                          "grad": {k: tensor(g) for k, g in zip(names, grads[1:])}}
        out_steps.append({"input": tensor(x), "output": tensor(y),
                          "buffers": {k: state_tensor(b) for k, b in module.named_buffers()}})
    module.eval()
    x_eval = make_input()
    with torch.no_grad():
        y_eval = module(x_eval)
    opts = {k: (list(v) if isinstance(v, tuple) else v) for k, v in options.items()}
    return {"name": name, "layer": layer, "options": opts, "state_keys": list(module.state_dict().keys()),
            "params": params, "steps": out_steps, "grad_step1": grad_step1,
            "eval": {"input": tensor(x_eval), "output": tensor(y_eval)}}


def bn(c, **kw):
    return dict({"num_features": c, "eps": 1e-5, "momentum": 0.1, "affine": True, "track_running_stats": True}, **kw)


def inorm(c, **kw):
    return dict({"num_features": c, "eps": 1e-5, "momentum": 0.1, "affine": False, "track_running_stats": False}, **kw)


def norm_layers():
    cases = [
        norm_case("batchnorm2d", "BatchNorm2d", bn(3), (4, 3, 3, 4), 3, seed=100),
        norm_case("batchnorm2d_momentum_eps", "BatchNorm2d", bn(2, momentum=0.3, eps=1e-3), (2, 2, 5, 3), 3, seed=101),
        norm_case("batchnorm2d_batch_statistics", "BatchNorm2d", bn(3, affine=False, track_running_stats=False),
                  (3, 3, 2, 2), 2, seed=102),
        norm_case("layernorm", "LayerNorm", {"normalized_shape": [6], "eps": 1e-5, "elementwise_affine": True},
                  (4, 6), 1, seed=110, channel_axis=-1),
        norm_case("layernorm_2d_shape", "LayerNorm", {"normalized_shape": [3, 4], "eps": 1e-5,
                                                       "elementwise_affine": True},
                  (2, 5, 3, 4), 1, seed=111, channel_axis=-1),
        norm_case("layernorm_no_affine", "LayerNorm", {"normalized_shape": [5], "eps": 1e-3,
                                                        "elementwise_affine": False},
                  (3, 5), 1, seed=112, channel_axis=-1),
        norm_case("groupnorm", "GroupNorm", {"num_groups": 2, "num_channels": 6, "eps": 1e-5, "affine": True},
                  (3, 6, 4), 1, seed=120),
        norm_case("groupnorm_images", "GroupNorm", {"num_groups": 3, "num_channels": 6, "eps": 1e-5, "affine": True},
                  (2, 6, 2, 3), 1, seed=121),
        norm_case("groupnorm_flat_one_group", "GroupNorm", {"num_groups": 1, "num_channels": 4, "eps": 1e-5,
                                                             "affine": False},
                  (3, 4), 1, seed=122),
        norm_case("instancenorm1d", "InstanceNorm1d", inorm(3), (2, 3, 5), 2, seed=130),
        norm_case("instancenorm1d_affine_running", "InstanceNorm1d", inorm(3, affine=True, track_running_stats=True),
                  (4, 3, 6), 3, seed=131),
        norm_case("instancenorm2d", "InstanceNorm2d", inorm(2), (3, 2, 3, 4), 2, seed=132),
        norm_case("instancenorm2d_affine_running", "InstanceNorm2d",
                  inorm(2, affine=True, track_running_stats=True, momentum=0.2), (2, 2, 4, 3), 3, seed=133),
    ]
    obj = header("torch.nn normalization layers: training steps (output, buffers after the step), "
                 "gradients of sum(output * upstream) at step 1, then eval mode.")
    obj["cases"] = cases
    write_json("norm_layers.json", obj)


def weight_norm_case(name, dim, n_in, n_out, n, seed):
    torch.manual_seed(seed)
    lin = torch.nn.utils.weight_norm(torch.nn.Linear(n_in, n_out), dim=dim)
    with torch.no_grad():
        lin.weight_g.copy_(1.0 + 0.5 * torch.randn(lin.weight_g.shape))
    x = torch.randn(n, n_in, requires_grad=True)
    y = lin(x)
    upstream = torch.randn(n, n_out)
    gx, gb, gg, gv = grads_of(y, upstream, x, lin.bias, lin.weight_g, lin.weight_v)
    return {"name": name, "dim": dim, "state_keys": list(lin.state_dict().keys()),
            "params": {"bias": tensor(lin.bias), "weight_g": tensor(lin.weight_g), "weight_v": tensor(lin.weight_v)},
            "weight": tensor(lin.weight), "input": tensor(x), "output": tensor(y), "upstream": tensor(upstream),
            "grad_input": tensor(gx), "grad": {"bias": tensor(gb), "weight_g": tensor(gg), "weight_v": tensor(gv)}}


def weight_norm():
    obj = header("torch.nn.utils.weight_norm on Linear: w = g * v / ||v|| (norm over every dim but `dim`); "
                 "output and gradients of sum(output * upstream).")
    obj["cases"] = [weight_norm_case("linear_dim0", 0, 5, 3, 4, seed=140),
                    weight_norm_case("linear_dim1", 1, 4, 3, 2, seed=141)]
    write_json("weight_norm.json", obj)


if __name__ == "__main__":
    norm_layers()
    weight_norm()
