#!/usr/bin/python3
"""Writes Myelin's golden values from PyTorch to myelin-core/src/test/resources/golden/.

Run with Debian's torch (apt-get install python3-torch), from the repository root or anywhere:

    /usr/bin/python3 tools/golden/make_golden.py

Everything is seeded (torch.manual_seed per file), so a rerun with the same torch version
rewrites identical files. The Java tests replay these files; they never run Python.

JSON schema (common to every file)
----------------------------------
Top level of each .json file:
    "torch_version": str          torch.__version__ that produced the values
    "description":   str          what the file holds, in one or two sentences
    "tolerance":     {"atol": float, "rtol": float}
                                  compare |actual - expected| <= atol + rtol * |expected|
    ... file-specific keys below

A tensor is always an object
    {"shape": [int, ...], "data": [number, ...]}
with "data" flat in row-major order. A scalar (a loss) has "shape": [] and one element.
Float data are float32 values written in their shortest round-trip form: parse each with
Float.parseFloat (or parse as double and cast to float) to get the exact float32 torch held.
Integer tensors (class targets, int64 in torch) hold JSON integers and say "dtype": "int64";
float tensors carry no "dtype" key.

File-specific keys
------------------
linear_cross_entropy.json   y = x @ weight.T + bias; loss = cross_entropy(y, target), mean
    "x" [N,IN], "weight" [OUT,IN], "bias" [OUT], "target" [N] int64,
    "logits" [N,OUT], "loss" [], "grad_x" [N,IN], "grad_weight" [OUT,IN], "grad_bias" [OUT]

batchnorm1d.json (input [N,C]) and batchnorm1d_3d.json (input [N,C,L]); torch.nn.BatchNorm1d
    "options": {"num_features", "eps", "momentum", "affine", "track_running_stats"}
    "weight" [C], "bias" [C]            the affine parameters (non-trivial, fixed throughout)
    "steps": [ {"input", "output", "running_mean" [C], "running_var" [C],
                "num_batches_tracked": int}, ... ]
                                        training-mode forward passes, in order; the running
                                        statistics are those after the step (running_var is
                                        updated with the unbiased batch variance)
    "grad_step1": {"upstream", "grad_input", "grad_weight" [C], "grad_bias" [C]}
                                        gradients of sum(output * upstream) at the first step
    "eval": {"input", "output"}         eval mode after the last step (uses running stats)

sgd_momentum.json, sgd_nesterov.json, adam.json   (optimizer replays)
    "cases": [ {
        "name": str,
        "optimizer": "SGD" | "Adam" | "AdamW"      (the torch.optim class)
        "options": {...}                            every constructor option, e.g. SGD: lr,
                                                    momentum, dampening, weight_decay, nesterov;
                                                    Adam/AdamW: lr, betas [b1,b2], eps,
                                                    weight_decay, amsgrad
        "param_init": tensor [R,C],
        "grads": [tensor, ...]                      the gradient set on p.grad before step k
        "params": [tensor, ...]                     the parameter after step k (k = 1..5)
    }, ... ]
    Adam's weight_decay is L2 added to the gradient; AdamW's is decoupled (p *= 1 - lr*wd).

activations.json
    "elementwise": {
        "input" [K], "upstream" [K],
        "relu" | "sigmoid" | "tanh": {"output", "grad"},  grad = d sum(y*upstream) / d input
        "softplus": {"beta": 1.0, "threshold": 20.0, "output", "grad"}
        "softplus_threshold": {"beta", "threshold", "input", "upstream", "output", "grad"}
                                        inputs around beta*x = threshold, where torch switches
                                        to the identity
    }
    Note: torch's relu gradient at exactly 0 is 0.
    "softmax": {
        "input" [3,5], "upstream" [3,5],
        "cases": [ {"temperature": T,
                    "softmax":     {"output", "grad"},    y = softmax(x / T, dim=-1)
                    "log_softmax": {"output", "grad"}},   y = log_softmax(x / T, dim=-1)
                   ... ]                                  grads are w.r.t. x (include 1/T)
    }

losses.json   (reduction "mean" throughout; grads are of the loss w.r.t. "input"; gaussian_nll's input is
              [N, 2k]: k means, then k raw variances through softplus)
    "mse" | "l1" | "bce_with_logits": {"reduction", "input", "target", "loss" [], "grad_input"}
        l1 has one element where input == target: torch's gradient there is 0 (sign(0) = 0).
        bce_with_logits: "input" are logits, "target" probabilities in [0, 1].
    "cross_entropy": {"reduction", "input" [N,C], "target" [N] int64, "loss" [], "grad_input"}

torch_trained.safetensors + torch_trained.json
    A small MLP with BatchNorm1d trained 30 steps in PyTorch, its state dict as torch keeps it
    (num_batches_tracked I64), and its eval-mode logits on fixed inputs.
resize.json   F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False) (Resizer)
    "input" [2,3,5,7], "cases": [{"size": [h, w], "output" [2,3,h,w]}, ...]
        shrinking, growing, the same size, 1x1, and one axis each way
myelin_saved.safetensors -> myelin_saved.json
    The other way: myelin_saved.safetensors is written by Myelin's SavedModel.save (the test
    MyelinToTorchTest, -Dmyelin.golden.write=true) for a Linear(4,8), BatchNorm1d(8), ReLU,
    Linear(8,3) model. This script loads it into the same torch.nn.Sequential with
    load_state_dict(strict=True) (it stops if any key is missing or unexpected) and records
    {"missing_keys": [], "unexpected_keys": [], "num_batches_tracked_dtype", "num_batches_tracked",
     "inputs", "logits"}: torch's eval-mode logits, which Myelin must reproduce.
torch_state.safetensors + torch_state.json
    A state dict of nn.Sequential(Linear(3,2), BatchNorm1d(2)) after two training steps, in
    the safetensors format, written by hand here (struct + json, no safetensors package):
    8-byte little-endian header length, a JSON header padded with spaces to a multiple of 8,
    then the raw little-endian bytes. The header lists the keys alphabetically while the data
    lie in state-dict order, so a reader must order entries by offset. "1.num_batches_tracked"
    is I64, as in PyTorch. torch_state.json holds the expected values:
    {"torch_version", "description", "metadata", "order": [key, ...] (by offset),
     "tensors": {key: tensor (+ "dtype": "F32" | "I64")}}
"""

import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "..", "..", "myelin-core", "src", "test", "resources", "golden")
FLOAT32_TOL = {"atol": 1e-5, "rtol": 1e-4}


# ---------------------------------------------------------------- encoding helpers

def f32(values):
    """Float32 values as Python floats in shortest round-trip form ('0.1', not '0.100000001')."""
    return [float(str(v)) for v in np.asarray(values, dtype=np.float32).reshape(-1)]


def tensor(t):
    """A float tensor as {"shape", "data"}."""
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": f32(t.numpy())}


def int_tensor(t):
    """An integer tensor as {"dtype": "int64", "shape", "data"}."""
    return {"dtype": "int64", "shape": list(t.shape), "data": [int(v) for v in t.reshape(-1).tolist()]}


def header(description, tolerance=FLOAT32_TOL):
    return {"torch_version": torch.__version__, "description": description, "tolerance": tolerance}


def dumps(obj, indent=0):
    """JSON with objects indented and lists of numbers kept on one line (readable diffs)."""
    pad = "  " * indent
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f'{pad}  {json.dumps(k)}: {dumps(v, indent + 1)}' for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (dict, list)) for v in obj):
            return "[" + ", ".join(json.dumps(v) for v in obj) + "]"
        items = [f'{pad}  {dumps(v, indent + 1)}' for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj)


def write_json(name, obj):
    path = os.path.join(OUT_DIR, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(dumps(obj) + "\n")
    print("wrote", os.path.relpath(path))


def grads_of(y, upstream, *inputs):
    """Gradients of sum(y * upstream) w.r.t. inputs."""
    return torch.autograd.grad((y * upstream).sum(), inputs)


# ---------------------------------------------------------------- linear + cross-entropy

def linear_cross_entropy():
    torch.manual_seed(1)
    n, n_in, n_out = 5, 4, 3
    x = torch.randn(n, n_in, requires_grad=True)
    weight = torch.randn(n_out, n_in, requires_grad=True)
    bias = torch.randn(n_out, requires_grad=True)
    target = torch.randint(0, n_out, (n,))
    logits = F.linear(x, weight, bias)
    loss = F.cross_entropy(logits, target)
    gx, gw, gb = torch.autograd.grad(loss, (x, weight, bias))
    obj = header("y = x @ weight.T + bias; loss = cross_entropy(y, target) with mean reduction; "
                 "gradients of loss.")
    obj.update({"x": tensor(x), "weight": tensor(weight), "bias": tensor(bias),
                "target": int_tensor(target), "logits": tensor(logits), "loss": tensor(loss),
                "grad_x": tensor(gx), "grad_weight": tensor(gw), "grad_bias": tensor(gb)})
    write_json("linear_cross_entropy.json", obj)


# ---------------------------------------------------------------- batch norm

def batchnorm(name, seed, shape, train_steps):
    torch.manual_seed(seed)
    c = shape[1]
    bn = torch.nn.BatchNorm1d(c)  # momentum 0.1, eps 1e-5, affine, track_running_stats
    with torch.no_grad():
        bn.weight.copy_(1.0 + 0.5 * torch.randn(c))
        bn.bias.copy_(0.5 * torch.randn(c))
    weight0, bias0 = bn.weight.detach().clone(), bn.bias.detach().clone()
    # Inputs with a per-channel offset and scale, so the statistics are far from (0, 1).
    offset = 2.0 * torch.randn(c)
    scale = 0.5 + torch.rand(c) * 2.0
    view = [1, c] + [1] * (len(shape) - 2)

    def make_input():
        return torch.randn(*shape) * scale.view(view) + offset.view(view)

    bn.train()
    steps, grad_step1 = [], None
    for step in range(train_steps):
        x = make_input().requires_grad_(True)
        y = bn(x)
        if step == 0:
            upstream = torch.randn(*shape)
            gx, gw, gb = grads_of(y, upstream, x, bn.weight, bn.bias)
            grad_step1 = {"upstream": tensor(upstream), "grad_input": tensor(gx),
                          "grad_weight": tensor(gw), "grad_bias": tensor(gb)}
        steps.append({"input": tensor(x), "output": tensor(y),
                      "running_mean": tensor(bn.running_mean), "running_var": tensor(bn.running_var),
                      "num_batches_tracked": int(bn.num_batches_tracked)})
    bn.eval()
    x_eval = make_input()
    with torch.no_grad():
        y_eval = bn(x_eval)
    obj = header(f"torch.nn.BatchNorm1d on input {list(shape)}: {train_steps} training step(s), "
                 "gradients of sum(output * upstream) at step 1, then eval mode.")
    obj.update({
        "options": {"num_features": c, "eps": bn.eps, "momentum": bn.momentum,
                    "affine": bn.affine, "track_running_stats": bn.track_running_stats},
        "weight": tensor(weight0), "bias": tensor(bias0),
        "steps": steps, "grad_step1": grad_step1,
        "eval": {"input": tensor(x_eval), "output": tensor(y_eval)},
    })
    write_json(name, obj)


# ---------------------------------------------------------------- optimizers

def optimizer_case(name, cls, options, seed, shape=(3, 4), steps=5):
    torch.manual_seed(seed)
    p = torch.nn.Parameter(torch.randn(*shape))
    param_init = tensor(p)
    grads = [torch.randn(*shape) for _ in range(steps)]
    opt = cls([p], **options)
    params = []
    for g in grads:
        p.grad = g.clone()
        opt.step()
        params.append(tensor(p))
    return {"name": name, "optimizer": cls.__name__,
            "options": {k: (list(v) if isinstance(v, tuple) else v) for k, v in options.items()},
            "param_init": param_init, "grads": [tensor(g) for g in grads], "params": params}


def sgd(momentum_opts):
    return dict({"lr": 0.1, "momentum": 0.9, "dampening": 0.0, "weight_decay": 0.0,
                 "nesterov": False}, **momentum_opts)


def adam(opts):
    return dict({"lr": 1e-2, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0,
                 "amsgrad": False}, **opts)


def optimizers():
    replay = "Five steps from param_init, with p.grad set to grads[k] before step k; params[k] " \
             "is the parameter after that step."
    obj = header("torch.optim.SGD with momentum. " + replay)
    obj["cases"] = [
        optimizer_case("momentum", torch.optim.SGD, sgd({}), seed=10),
        optimizer_case("momentum_dampening_weight_decay", torch.optim.SGD,
                       sgd({"dampening": 0.1, "weight_decay": 0.01}), seed=11),
    ]
    write_json("sgd_momentum.json", obj)

    obj = header("torch.optim.SGD with Nesterov momentum. " + replay)
    obj["cases"] = [
        optimizer_case("nesterov_weight_decay", torch.optim.SGD,
                       sgd({"nesterov": True, "weight_decay": 0.01}), seed=20),
        optimizer_case("nesterov", torch.optim.SGD, sgd({"nesterov": True}), seed=21),
    ]
    write_json("sgd_nesterov.json", obj)

    obj = header("torch.optim.Adam (weight_decay is L2 added to the gradient) and AdamW "
                 "(decoupled weight decay). " + replay)
    obj["cases"] = [
        optimizer_case("adam", torch.optim.Adam, adam({}), seed=30),
        optimizer_case("adam_weight_decay", torch.optim.Adam, adam({"weight_decay": 0.1}), seed=31),
        optimizer_case("adamw_weight_decay", torch.optim.AdamW, adam({"weight_decay": 0.1}), seed=32),
    ]
    write_json("adam.json", obj)


# ---------------------------------------------------------------- activations

def activations():
    torch.manual_seed(40)
    x = torch.tensor([-4.0, -3.0, -2.0, -1.5, -1.0, -0.5, -0.1, -1e-3, -1e-6, 0.0,
                      1e-6, 1e-3, 0.1, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0], requires_grad=True)
    upstream = torch.randn(x.shape)
    elementwise = {"input": tensor(x), "upstream": tensor(upstream)}
    for name, fn in (("relu", torch.relu), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh)):
        y = fn(x)
        (g,) = grads_of(y, upstream, x)
        elementwise[name] = {"output": tensor(y), "grad": tensor(g)}
    y = F.softplus(x, beta=1.0, threshold=20.0)
    (g,) = grads_of(y, upstream, x)
    elementwise["softplus"] = {"beta": 1.0, "threshold": 20.0, "output": tensor(y), "grad": tensor(g)}

    # beta * x around the threshold: above it torch returns x itself and gradient 1.
    xt = torch.tensor([-30.0, 5.0, 9.9, 10.0, 10.1, 15.0], requires_grad=True)
    ut = torch.randn(xt.shape)
    y = F.softplus(xt, beta=2.0, threshold=20.0)
    (g,) = grads_of(y, ut, xt)
    elementwise["softplus_threshold"] = {"beta": 2.0, "threshold": 20.0, "input": tensor(xt),
                                         "upstream": tensor(ut), "output": tensor(y),
                                         "grad": tensor(g)}

    xs = (torch.randn(3, 5) * 2.0).requires_grad_(True)
    us = torch.randn(3, 5)
    cases = []
    for temperature in (1.0, 2.0):
        case = {"temperature": temperature}
        for name, fn in (("softmax", F.softmax), ("log_softmax", F.log_softmax)):
            y = fn(xs / temperature, dim=-1)
            (g,) = grads_of(y, us, xs)
            case[name] = {"output": tensor(y), "grad": tensor(g)}
        cases.append(case)
    obj = header("Activations and their gradients of sum(y * upstream) w.r.t. the input; "
                 "softmax and log_softmax over the last dim of x / temperature.")
    obj["elementwise"] = elementwise
    obj["softmax"] = {"input": tensor(xs), "upstream": tensor(us), "cases": cases}
    write_json("activations.json", obj)


# ---------------------------------------------------------------- losses

def loss_case(fn, x, target):
    x = x.clone().requires_grad_(True)
    loss = fn(x, target)
    (g,) = torch.autograd.grad(loss, (x,))
    t = int_tensor(target) if target.dtype == torch.int64 else tensor(target)
    return {"reduction": "mean", "input": tensor(x), "target": t, "loss": tensor(loss),
            "grad_input": tensor(g)}


def losses():
    torch.manual_seed(50)
    x = torch.randn(4, 3)
    t = torch.randn(4, 3)
    t_l1 = t.clone()
    t_l1[1, 2] = x[1, 2]  # a tie: torch's L1 gradient there is sign(0) = 0
    logits = torch.tensor([[-20.0, -3.0, -0.5], [0.0, 0.25, 1.0], [2.0, 5.0, 20.0], [-1.0, 0.7, -0.01]])
    probs = torch.tensor([[0.0, 0.2, 1.0], [0.5, 1.0, 0.0], [0.3, 0.9, 1.0], [0.0, 0.6, 0.05]])
    ce_in = torch.randn(5, 4) * 2.0
    ce_target = torch.randint(0, 4, (5,))
    obj = header("Losses with mean reduction and their gradients w.r.t. the input.")
    obj["mse"] = loss_case(F.mse_loss, x, t)
    obj["l1"] = loss_case(F.l1_loss, x, t_l1)
    obj["bce_with_logits"] = loss_case(F.binary_cross_entropy_with_logits, logits, probs)
    obj["cross_entropy"] = loss_case(F.cross_entropy, ce_in, ce_target)
    # Myelin's gaussian_nll: a prediction [N, 2k] of k means and k raw variances, var = softplus(raw)
    g_in = torch.randn(4, 4) * 1.5
    g_in[0, 2] = -20.0  # softplus(-20) ~ 2e-9 < eps: clamped in value, the gradient passes (no_grad clamp)
    g_t = torch.randn(4, 2)
    for name, full in (("gaussian_nll", False), ("gaussian_nll_full", True)):
        obj[name] = loss_case(lambda p, y, full=full: F.gaussian_nll_loss(p[:, :2], y, F.softplus(p[:, 2:]),
                                                                         full=full, eps=1e-6), g_in, g_t)
    write_json("losses.json", obj)


# ---------------------------------------------------------------- safetensors, by hand

SAFETENSORS_DTYPES = {torch.float32: ("F32", "<f4"), torch.int64: ("I64", "<i8")}


def safetensors_bytes(state, metadata):
    """The safetensors encoding of an ordered state dict; the header lists keys alphabetically."""
    entries, chunks, offset = {}, [], 0
    for key, t in state.items():
        dtype, np_dtype = SAFETENSORS_DTYPES[t.dtype]
        raw = t.detach().contiguous().numpy().astype(np_dtype).tobytes()
        entries[key] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    head = {"__metadata__": metadata}
    head.update({k: entries[k] for k in sorted(entries)})
    text = json.dumps(head, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def torch_state():
    torch.manual_seed(60)
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
    with torch.no_grad():
        model[1].weight.copy_(torch.tensor([1.5, 0.75]))
        model[1].bias.copy_(torch.tensor([-0.25, 0.5]))
    model.train()
    for _ in range(2):  # non-trivial running statistics
        model(torch.randn(6, 3) * 2.0 + 1.0)
    state = model.state_dict()
    metadata = write_state("torch_state.safetensors", state)
    expected = {}
    for key, t in state.items():
        if t.dtype == torch.float32:
            expected[key] = dict({"dtype": "F32"}, **tensor(t))
        else:
            expected[key] = {"dtype": "I64", "shape": list(t.shape), "data": [int(v) for v in t.reshape(-1).tolist()]}
    obj = {"torch_version": torch.__version__,
           "description": "Expected contents of torch_state.safetensors: "
                          "nn.Sequential(Linear(3, 2), BatchNorm1d(2)).state_dict() after two "
                          "training steps. 'order' is the data (offset) order.",
           "metadata": metadata, "order": list(state.keys()), "tensors": expected}
    write_json("torch_state.json", obj)


def write_state(name, state):
    """Writes a state dict as PyTorch's safetensors does; returns the metadata written."""
    metadata = {"format": "pt", "source": "tools/golden/make_golden.py"}
    path = os.path.join(OUT_DIR, name)
    with open(path, "wb") as f:
        f.write(safetensors_bytes(state, metadata))
    print("wrote", os.path.relpath(path))
    return metadata


def torch_trained():
    """A model trained in PyTorch, its state dict saved as safetensors as torch keeps it (the
    BatchNorm's num_batches_tracked as I64, 30 steps), and its eval-mode logits on fixed inputs:
    Myelin must load it strictly and give the same logits."""
    torch.manual_seed(61)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(),
                                torch.nn.Dropout(0.2), torch.nn.Linear(8, 3))
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    x = torch.randn(64, 4)
    y = (x[:, 0] + x[:, 1] > 0).long() + (x[:, 2] > 1).long()
    model.train()
    for _ in range(30):
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    model.eval()
    inputs = torch.randn(5, 4) * 1.5
    with torch.no_grad():
        logits = model(inputs)
    state = model.state_dict()
    write_state("torch_trained.safetensors", state)
    obj = header("nn.Sequential(Linear(4, 8), BatchNorm1d(8), ReLU(), Dropout(0.2), Linear(8, 3)) trained "
                 "30 Adam steps in PyTorch and saved as torch_trained.safetensors (num_batches_tracked I64); "
                 "its eval-mode logits on 'inputs'.")
    obj.update({"num_batches_tracked": int(state["1.num_batches_tracked"]),
                "inputs": tensor(inputs), "logits": tensor(logits)})
    write_json("torch_trained.json", obj)


def read_safetensors(path):
    """A safetensors file as an ordered dict of tensors (F32 and I64), by hand as it is written above."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    head = json.loads(raw[8:8 + n])
    dtypes = {"F32": (np.float32, torch.float32), "I64": (np.int64, torch.int64)}
    state = {}
    entries = sorted(((k, v) for k, v in head.items() if k != "__metadata__"), key=lambda kv: kv[1]["data_offsets"][0])
    for key, e in entries:
        np_dtype, _ = dtypes[e["dtype"]]
        lo, hi = e["data_offsets"]
        data = np.frombuffer(raw[8 + n + lo:8 + n + hi], dtype=np.dtype(np_dtype).newbyteorder("<"))
        state[key] = torch.from_numpy(data.copy()).reshape(e["shape"])
    return state


def myelin_saved():
    """A model saved by Myelin loads into torch strictly; its eval-mode logits for Myelin to reproduce."""
    state = read_safetensors(os.path.join(OUT_DIR, "myelin_saved.safetensors"))
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(),
                                torch.nn.Linear(8, 3))
    result = model.load_state_dict(state, strict=True)
    assert not result.missing_keys and not result.unexpected_keys, result
    model.eval()
    torch.manual_seed(63)
    inputs = torch.randn(6, 4) * 2.0 + 0.5
    with torch.no_grad():
        logits = model(inputs)
    tracked = model[1].num_batches_tracked
    obj = header("myelin_saved.safetensors (written by Myelin's SavedModel.save) loaded into nn.Sequential("
                 "Linear(4, 8), BatchNorm1d(8), ReLU(), Linear(8, 3)) with load_state_dict(strict=True); "
                 "its eval-mode logits on 'inputs'.")
    obj.update({"missing_keys": list(result.missing_keys), "unexpected_keys": list(result.unexpected_keys),
                "num_batches_tracked_dtype": str(tracked.dtype), "num_batches_tracked": int(tracked),
                "inputs": tensor(inputs), "logits": tensor(logits)})
    write_json("myelin_saved.json", obj)


def resize():
    """Bilinear resizing as F.interpolate does it by default (align_corners=False, no antialias)."""
    torch.manual_seed(64)
    x = torch.randn(2, 3, 5, 7)
    cases = []
    for size in [(3, 4), (9, 11), (5, 7), (1, 1), (4, 14), (10, 3)]:
        y = F.interpolate(x, size=size, mode="bilinear", align_corners=False)
        cases.append({"size": list(size), "output": tensor(y)})
    obj = header("F.interpolate(input, size, mode='bilinear', align_corners=False) for each case's size.")
    obj.update({"input": tensor(x), "cases": cases})
    write_json("resize.json", obj)


CASES = {
    "linear_cross_entropy": linear_cross_entropy,
    "batchnorm": lambda: (batchnorm("batchnorm1d.json", seed=2, shape=(6, 4), train_steps=3),
                          batchnorm("batchnorm1d_3d.json", seed=3, shape=(4, 3, 5), train_steps=2)),
    "optimizers": optimizers,
    "activations": activations,
    "losses": losses,
    "torch_state": torch_state,
    "torch_trained": torch_trained,
    "myelin_saved": myelin_saved,
    "resize": resize,
}


def main():
    """Writes every case, or only those named on the command line (e.g. `make_golden.py myelin_saved`)."""
    names = sys.argv[1:] or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        print("unknown case(s): %s; the cases are %s" % (", ".join(unknown), ", ".join(CASES)), file=sys.stderr)
        return 2
    os.makedirs(OUT_DIR, exist_ok=True)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)  # reductions in one fixed order
    for name in names:
        CASES[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
